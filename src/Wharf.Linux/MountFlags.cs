namespace Wharf.Linux;

/// <summary>Flags for <see cref="Posix.Mount"/> and <see cref="Posix.Unmount"/> (from linux/mount.h).</summary>
[Flags]
public enum MountFlags : ulong
{
    None = 0,
    ReadOnly = 1,
    NoSuid = 2,
    NoDev = 4,
    NoExec = 8,
    Remount = 32,
    Bind = 4096,
    Move = 8192,
    Recursive = 16384,
    Private = 1 << 18,
    Slave = 1 << 19,
    Shared = 1 << 20,
}
