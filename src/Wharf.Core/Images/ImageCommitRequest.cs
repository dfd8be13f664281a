using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Core.Images;

/// <summary>What the image store needs to turn a container into an image.</summary>
public sealed record ImageCommitRequest
{
    public required Digest ParentImageId { get; init; }

    public required string ContainerId { get; init; }

    /// <summary>The container's Config as it ran (becomes <c>container_config</c>).</summary>
    public required ContainerConfig ContainerConfig { get; init; }

    /// <summary>The Config the client sent; null uses <see cref="ContainerConfig"/>.</summary>
    public ContainerConfig? UserConfig { get; init; }

    /// <summary>Dockerfile instructions applied on top (CMD, ENV, LABEL, ...).</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];

    public string? Author { get; init; }

    public string? Comment { get; init; }

    public string? Repository { get; init; }

    public string? Tag { get; init; }
}
