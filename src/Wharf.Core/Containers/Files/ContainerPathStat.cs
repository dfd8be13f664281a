namespace Wharf.Core.Containers.Files;

/// <summary>
/// What <c>HEAD /containers/{id}/archive</c> reports about a path (Docker's ContainerPathStat).
/// <see cref="Mode"/> holds Go's <c>os.FileMode</c> bits, as Docker clients decode them.
/// </summary>
public sealed record ContainerPathStat(string Name, long Size, uint Mode, DateTimeOffset Mtime, string LinkTarget)
{
    /// <summary>Go's os.ModeDir.</summary>
    public const uint ModeDir = 1u << 31;

    /// <summary>Go's os.ModeSymlink.</summary>
    public const uint ModeSymlink = 1u << 27;

    public bool IsDirectory => (Mode & ModeDir) != 0;

    public bool IsSymlink => (Mode & ModeSymlink) != 0;
}
