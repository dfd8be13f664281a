namespace Wharf.Core.Containers.Mounts;

public sealed record MountVolumeSpec
{
    /// <summary>Do not copy the image's content at the target into a new empty volume.</summary>
    public bool NoCopy { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Volume driver (empty: the container's VolumeDriver, then local).</summary>
    public string DriverName { get; init; } = "";

    public IReadOnlyDictionary<string, string>? DriverOptions { get; init; }

    /// <summary>A path inside the volume to mount instead of its root (API 1.45).</summary>
    public string Subpath { get; init; } = "";
}
