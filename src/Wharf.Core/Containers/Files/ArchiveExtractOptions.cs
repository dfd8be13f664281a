namespace Wharf.Core.Containers.Files;

/// <summary>How <c>PUT /containers/{id}/archive</c> unpacks a tar into a container.</summary>
public sealed record ArchiveExtractOptions
{
    /// <summary>Fail instead of replacing a directory with a non-directory or the other way round.</summary>
    public bool NoOverwriteDirNonDir { get; init; }

    /// <summary>
    /// Owner for every extracted file (Docker's <c>copyUIDGID</c> with a container user); null
    /// keeps the owners recorded in the tar.
    /// </summary>
    public (uint Uid, uint Gid)? Owner { get; init; }
}
