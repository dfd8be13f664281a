namespace Wharf.Core.Containers.Mounts;

public sealed record MountBindSpec
{
    /// <summary>private, rprivate, shared, rshared, slave, rslave; empty means rprivate.</summary>
    public string Propagation { get; init; } = "";

    /// <summary><c>bind-recursive=disabled</c>: a plain bind instead of rbind.</summary>
    public bool NonRecursive { get; init; }

    /// <summary>Create the host path when missing (<c>bind-create-src</c>); without it a missing source is an error.</summary>
    public bool CreateMountpoint { get; init; }

    public bool ReadOnlyNonRecursive { get; init; }

    public bool ReadOnlyForceRecursive { get; init; }
}
