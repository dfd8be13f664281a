namespace Wharf.Core.Containers.Files;

/// <summary>
/// A tar that is ready to stream: everything that can fail with a clean HTTP error (the
/// container or path not existing) has been checked when this object exists. Dispose it even
/// when the tar is never written; it may hold a mount or a lock.
/// </summary>
public interface IArchiveSource : IAsyncDisposable
{
    /// <summary>The stat of the archived path (null for a whole-filesystem export).</summary>
    ContainerPathStat? Stat { get; }

    Task WriteToAsync(Stream output, CancellationToken cancellationToken);
}
