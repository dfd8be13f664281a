namespace Wharf.Core.Containers.Spec;

/// <summary>
/// A <c>--device</c> already looked up on the host (type and numbers from stat), with the
/// cgroup permissions (<c>rwm</c> subset) to grant on it.
/// </summary>
public sealed record DeviceMapping
{
    public required string PathInContainer { get; init; }

    /// <summary><c>c</c> or <c>b</c>.</summary>
    public required string Type { get; init; }

    public required long Major { get; init; }

    public required long Minor { get; init; }

    public uint FileMode { get; init; } = Convert.ToUInt32("666", 8);

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public string CgroupPermissions { get; init; } = "rwm";
}
