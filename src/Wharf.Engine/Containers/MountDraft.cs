namespace Wharf.Engine.Containers;

/// <summary>
/// A parsed bind, volume or tmpfs mount before its volume exists: Docker's MountPoint with the
/// parts of the request that creating the volume needs. An empty <see cref="Name"/> on a volume
/// asks for a new anonymous volume.
/// </summary>
internal sealed record MountDraft
{
    public required string Type { get; init; }

    public required string Destination { get; init; }

    /// <summary>Volume name (empty: anonymous).</summary>
    public string Name { get; init; } = "";

    /// <summary>Bind source (cleaned absolute host path).</summary>
    public string Source { get; init; } = "";

    public string Driver { get; init; } = "";

    public string Mode { get; init; } = "";

    public bool RW { get; init; } = true;

    public string Propagation { get; init; } = "";

    /// <summary>Fill a new empty volume from the image (not for <c>nocopy</c>).</summary>
    public bool CopyData { get; init; }

    public bool SkipMountpointCreation { get; init; }

    public bool NonRecursive { get; init; }

    public string TmpfsOptions { get; init; } = "";

    public string Subpath { get; init; } = "";

    public IReadOnlyDictionary<string, string>? VolumeLabels { get; init; }

    public IReadOnlyDictionary<string, string>? DriverOptions { get; init; }
}
