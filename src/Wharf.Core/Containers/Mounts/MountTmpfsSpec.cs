namespace Wharf.Core.Containers.Mounts;

public sealed record MountTmpfsSpec
{
    /// <summary>0 leaves the kernel's default (half the RAM).</summary>
    public long SizeBytes { get; init; }

    /// <summary>Permission bits of the tmpfs root (Go's os.FileMode number, e.g. 1023 for 01777); 0 leaves 1777.</summary>
    public uint Mode { get; init; }

    /// <summary>Extra options as [name] or [name, value] pairs; only exec and noexec are accepted (API 1.46).</summary>
    public IReadOnlyList<IReadOnlyList<string>>? Options { get; init; }
}
