using Wharf.Oci.Image;

namespace Wharf.Core.Containers.Files;

/// <summary>What <c>POST /commit</c> asks for.</summary>
public sealed record ContainerCommitRequest
{
    public required string Container { get; init; }

    public string? Repository { get; init; }

    public string? Tag { get; init; }

    public string? Author { get; init; }

    public string? Comment { get; init; }

    /// <summary>Pause a running container while its changes are read (Docker's default).</summary>
    public bool Pause { get; init; } = true;

    /// <summary>Dockerfile instructions applied to the config (CMD, ENV, ...).</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];

    /// <summary>The Config from the request body; null uses the container's own.</summary>
    public ContainerConfig? Config { get; init; }

    /// <summary>
    /// For builds: the new image's Config exactly as given (no change instructions, no merge
    /// with the container's or parent's config).
    /// </summary>
    public ContainerConfig? FinalConfig { get; init; }

    /// <summary>For builds: the history entry's <c>created_by</c> (default: the container's command).</summary>
    public string? CreatedBy { get; init; }

    /// <summary>For builds: the recorded creation time (default: now); fixed for reproducible image IDs.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>For builds: false leaves the container's ID out of the image config (reproducible IDs).</summary>
    public bool RecordContainer { get; init; } = true;

    /// <summary>For builds: every entry of the new layer gets at most this modification time (reproducible layers).</summary>
    public DateTimeOffset? LayerTimesLimit { get; init; }

    /// <summary>
    /// For builds: container paths that did not exist in the image and were made only as mount
    /// points of a RUN's mounts, deepest first. Each one still empty is removed from the
    /// stopped container before its changes are read, so the layer holds no mount stubs
    /// (BuildKit's rule; a target that existed in the image is never named here).
    /// </summary>
    public IReadOnlyList<string> MountStubs { get; init; } = [];
}
