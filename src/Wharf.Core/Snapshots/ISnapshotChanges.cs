using Wharf.Core.Containers.Files;

namespace Wharf.Core.Snapshots;

/// <summary>
/// What a container's writable layer (an active snapshot) changed against the snapshot it was
/// made from. Both calls read the layer directly (no mount) and may run while the container
/// runs; pause it first for a consistent commit.
/// </summary>
public interface ISnapshotChanges
{
    /// <summary>
    /// The changes in Docker's order: a depth-first walk with names sorted byte-wise, a
    /// directory before its contents, and a directory that only holds changes reported as
    /// modified. <paramref name="runtimeMountpoints"/> are absolute paths the runtime creates
    /// as mount points (Docker keeps them in its init layer): when they are empty files or
    /// directories they are not changes, and neither is their parents' mtime.
    /// </summary>
    Task<IReadOnlyList<FileChange>> GetChangesAsync(string id, IReadOnlySet<string> runtimeMountpoints, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the changes as a layer tar (OCI whiteouts: <c>.wh.name</c> and <c>.wh..wh..opq</c>),
    /// leaving out the same runtime mount points.
    /// </summary>
    Task WriteDiffAsync(string id, IReadOnlySet<string> runtimeMountpoints, Stream output, CancellationToken cancellationToken);
}
