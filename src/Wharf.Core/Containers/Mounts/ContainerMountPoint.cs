namespace Wharf.Core.Containers.Mounts;

/// <summary>
/// A resolved mount of a container, kept with the container from create on: what inspect's
/// <c>Mounts</c> reports and what start turns into runtime mounts. Field values follow Docker's
/// (<c>Mode</c> is the user's option string, "z" for local volumes given without one;
/// <c>Propagation</c> is empty for volumes and tmpfs).
/// </summary>
public sealed record ContainerMountPoint
{
    /// <summary><c>bind</c>, <c>volume</c> or <c>tmpfs</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Volume name; empty for binds and tmpfs.</summary>
    public string Name { get; init; } = "";

    /// <summary>
    /// The host path as Docker records it: the bind source, the volume's data path, or empty
    /// for tmpfs and for the anonymous volumes of Config.Volumes (whose path inspect still shows).
    /// </summary>
    public string Source { get; init; } = "";

    /// <summary>The volume's data path (for volumes only).</summary>
    public string VolumePath { get; init; } = "";

    public required string Destination { get; init; }

    /// <summary>Volume driver; empty for binds and tmpfs.</summary>
    public string Driver { get; init; } = "";

    public string Mode { get; init; } = "";

    public bool RW { get; init; } = true;

    public string Propagation { get; init; } = "";

    /// <summary>Created for this mount without a name (removed by <c>rm -v</c> and <c>--rm</c>).</summary>
    public bool Anonymous { get; init; }

    /// <summary>A <c>--mount type=bind</c> source must exist; a <c>-v</c> bind source is created when missing.</summary>
    public bool SkipMountpointCreation { get; init; }

    /// <summary>Plain bind instead of rbind.</summary>
    public bool NonRecursive { get; init; }

    /// <summary>Mount options of a tmpfs mount (<c>ro,mode=1777,size=1m</c>).</summary>
    public string TmpfsOptions { get; init; } = "";

    /// <summary>A path inside the volume mounted instead of its root.</summary>
    public string Subpath { get; init; } = "";
}
