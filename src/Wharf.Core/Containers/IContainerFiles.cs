using Wharf.Core.Containers.Files;
using Wharf.Oci;

namespace Wharf.Core.Containers;

/// <summary>
/// The container file system as Docker exposes it: the archive endpoints behind <c>docker cp</c>,
/// the change list behind <c>docker diff</c>, <c>docker export</c> and <c>docker commit</c>.
/// Paths are always taken inside the container: symlinks and ".." resolve within its root
/// file system and can never lead to the host's files. Running containers are seen as their
/// processes see them (bind mounts and tmpfs included); stopped ones through their writable
/// layer mounted for the duration of the call.
/// </summary>
public interface IContainerFiles
{
    /// <summary>
    /// Stats <paramref name="path"/> without following a final symlink; for a symlink,
    /// LinkTarget is its full resolution inside the container. NotFound when absent.
    /// </summary>
    Task<ContainerPathStat> StatPathAsync(string name, string path, CancellationToken cancellationToken);

    /// <summary>
    /// Prepares a tar of <paramref name="path"/> (a trailing "/." archives a directory's
    /// contents, as Docker does). Fails before returning when the path does not exist.
    /// </summary>
    Task<IArchiveSource> OpenArchiveAsync(string name, string path, CancellationToken cancellationToken);

    /// <summary>
    /// Unpacks <paramref name="tar"/> (plain, gzip, bzip2 or xz) into the directory
    /// <paramref name="path"/>, which must exist (NotFound) and be a directory (InvalidArgument);
    /// a read-only root file system or mount is Forbidden. Entries stay inside the destination.
    /// Files keep the tar's owners unless <paramref name="copyUidGid"/> is set and the container
    /// has a user, who then owns them all (Docker's rule).
    /// </summary>
    Task ExtractArchiveAsync(string name, string path, Stream tar, bool noOverwriteDirNonDir, bool copyUidGid, CancellationToken cancellationToken);

    /// <summary>Changes against the image in Docker's order (a depth-first walk, names sorted).</summary>
    Task<IReadOnlyList<FileChange>> ChangesAsync(string name, CancellationToken cancellationToken);

    /// <summary>A tar of the container's whole root file system (without its mounts).</summary>
    Task<IArchiveSource> OpenExportAsync(string name, CancellationToken cancellationToken);

    /// <summary>Makes an image of the container: the image's layers plus one with the container's changes.</summary>
    Task<Digest> CommitAsync(ContainerCommitRequest request, CancellationToken cancellationToken);
}
