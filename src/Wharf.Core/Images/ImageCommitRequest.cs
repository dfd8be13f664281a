using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Core.Images;

/// <summary>What the image store needs to turn a container into an image.</summary>
public sealed record ImageCommitRequest
{
    /// <summary>The image committed on; <c>default</c> for none (a build's <c>FROM scratch</c>).</summary>
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

    /// <summary>
    /// For builds: the new image's Config exactly as given (no change instructions, no merge
    /// with the container's or parent's config).
    /// </summary>
    public ContainerConfig? FinalConfig { get; init; }

    /// <summary>For builds: the history entry's <c>created_by</c> (default: the container's command).</summary>
    public string? CreatedBy { get; init; }

    /// <summary>For builds: the recorded creation time (default: now); fixed for reproducible image IDs.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>For builds: every entry of the new layer gets at most this modification time (reproducible layers).</summary>
    public DateTimeOffset? LayerTimesLimit { get; init; }
}
