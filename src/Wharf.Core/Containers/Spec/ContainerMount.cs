namespace Wharf.Core.Containers.Spec;

/// <summary>
/// A bind, volume or tmpfs mount resolved by the caller. Volumes are binds of the volume's
/// host directory. For tmpfs, <see cref="Source"/> is ignored and <see cref="TmpfsOptions"/>
/// carries <c>size=...,mode=...</c>.
/// </summary>
public sealed record ContainerMount
{
    public required string Destination { get; init; }

    public string Source { get; init; } = "";

    public ContainerMountType Type { get; init; } = ContainerMountType.Bind;

    public bool Writable { get; init; } = true;

    /// <summary>Bind propagation; Docker's default on Linux is <c>rprivate</c>.</summary>
    public string Propagation { get; init; } = "rprivate";

    /// <summary><c>bind</c> instead of <c>rbind</c> (<c>bind-recursive=disabled</c>).</summary>
    public bool NonRecursive { get; init; }

    public string? TmpfsOptions { get; init; }
}
