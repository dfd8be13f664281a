namespace Wharf.Linux;

/// <summary>What lstat-like callers need from statx(2), without following a final symlink.</summary>
public readonly record struct FileStatus(
    uint Mode,
    uint Uid,
    uint Gid,
    ulong Size,
    ulong Inode,
    uint LinkCount,
    uint DeviceMajor,
    uint DeviceMinor,
    uint RdevMajor,
    uint RdevMinor,
    long AccessSeconds,
    uint AccessNanoseconds,
    long ModifySeconds,
    uint ModifyNanoseconds)
{
    public FileKind Kind => (FileKind)(Mode & 0xF000);

    /// <summary>Permission bits including setuid, setgid and sticky (07777).</summary>
    public uint Permissions => Mode & 0xFFF;
}
