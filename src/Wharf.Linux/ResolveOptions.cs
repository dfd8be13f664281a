namespace Wharf.Linux;

/// <summary>openat2(2) RESOLVE_* flags (include/uapi/linux/openat2.h).</summary>
[Flags]
public enum ResolveOptions : ulong
{
    None = 0,

    /// <summary>Do not cross mount points.</summary>
    NoXdev = 0x01,

    /// <summary>Refuse /proc/*/fd-style magic links (they can point anywhere on the host).</summary>
    NoMagicLinks = 0x02,

    /// <summary>Refuse every symlink.</summary>
    NoSymlinks = 0x04,

    /// <summary>Fail when resolution would leave the directory (also through "..").</summary>
    Beneath = 0x08,

    /// <summary>
    /// Treat the directory as the root: "/" and ".." stop there and absolute symlinks resolve
    /// relative to it, as a chroot would, but for this one lookup and without races.
    /// </summary>
    InRoot = 0x10,
}
