namespace Wharf.Core.Containers.Mounts;

/// <summary>
/// One entry of HostConfig.Mounts (<c>--mount</c>) as the client sent it. The option blocks are
/// null when absent, because Docker rejects some of them by presence ("field BindOptions must
/// not be specified").
/// </summary>
public sealed record MountSpec
{
    /// <summary><c>bind</c>, <c>volume</c> or <c>tmpfs</c>; anything else is rejected.</summary>
    public string Type { get; init; } = "";

    public string Source { get; init; } = "";

    public string Target { get; init; } = "";

    public bool ReadOnly { get; init; }

    public MountBindSpec? BindOptions { get; init; }

    public MountVolumeSpec? VolumeOptions { get; init; }

    public MountTmpfsSpec? TmpfsOptions { get; init; }
}
