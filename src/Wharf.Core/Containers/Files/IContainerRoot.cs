namespace Wharf.Core.Containers.Files;

/// <summary>
/// One container root file system, open. Paths are container paths ("/etc/passwd", relative
/// ones are taken from "/"); every lookup resolves symlinks and ".." inside this root.
/// Errors name the path and the container as Docker does ("Could not find the file /x in
/// container c").
/// </summary>
public interface IContainerRoot : IDisposable
{
    /// <summary>HEAD archive semantics: the final component is not followed.</summary>
    ContainerPathStat Stat(string path);

    /// <summary>GET archive semantics: writes the tar of <paramref name="path"/>, entries named after its last component.</summary>
    Task WriteArchiveAsync(string path, Stream output, CancellationToken cancellationToken);

    /// <summary>PUT archive semantics: extracts an uncompressed tar into the directory <paramref name="path"/>.</summary>
    Task ExtractAsync(string path, Stream tar, ArchiveExtractOptions options, CancellationToken cancellationToken);

    /// <summary>Writes the whole tree as <c>docker export</c> does (names relative to the root, no root entry).</summary>
    Task ExportAsync(Stream output, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves a container user ("name", "uid", "name:group", "uid:gid") against the root's
    /// /etc/passwd and /etc/group; NotFound when a name is unknown.
    /// </summary>
    (uint Uid, uint Gid) LookupUser(string user);

    /// <summary>
    /// Removes <paramref name="path"/> when it is an empty directory or an empty regular file
    /// (what a runtime leaves when it makes a mount point), and puts its parent directory's
    /// access and modification times back as they were; anything else is left alone. The parent
    /// is resolved inside the root. Returns whether something was removed.
    /// </summary>
    bool RemoveMountStub(string path);
}
