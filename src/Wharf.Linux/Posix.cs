using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Wharf.Linux;

/// <summary>
/// Thin safe wrappers over libc. Every failure throws <see cref="ErrnoException"/> with the
/// errno and the path. Calls named L* or taking no "follow" option never follow a final symlink.
/// </summary>
public static unsafe class Posix
{
    private const uint IfChr = 0x2000;
    private const uint IfBlk = 0x6000;
    private const uint IfIfo = 0x1000;

    public static void Mount(string? source, string target, string? fsType, MountFlags flags, string? data)
        => Check(LibC.Mount(source, target, fsType, (nuint)(ulong)flags, data), "mount", target);

    public static void Unmount(string target, UnmountFlags flags)
        => Check(LibC.Umount2(target, (int)flags), "umount2", target);

    public static void MakeDirectory(string path, uint mode)
        => Check(LibC.Mkdir(path, mode), "mkdir", path);

    public static void RemoveDirectory(string path)
        => Check(LibC.Rmdir(path), "rmdir", path);

    public static void Unlink(string path)
        => Check(LibC.Unlink(path), "unlink", path);

    /// <summary>Creates a character device; a 0:0 one is an overlayfs whiteout.</summary>
    public static void MakeCharacterDevice(string path, uint permissions, uint major, uint minor)
        => Check(LibC.Mknod(path, IfChr | (permissions & 0xFFF), MakeDev(major, minor)), "mknod", path);

    public static void MakeBlockDevice(string path, uint permissions, uint major, uint minor)
        => Check(LibC.Mknod(path, IfBlk | (permissions & 0xFFF), MakeDev(major, minor)), "mknod", path);

    public static void MakeFifo(string path, uint permissions)
        => Check(LibC.Mknod(path, IfIfo | (permissions & 0xFFF), 0), "mknod", path);

    /// <summary>Creates a hard link; link(2) does not follow a symlink at <paramref name="existing"/>.</summary>
    public static void Link(string existing, string newPath)
        => Check(LibC.Link(existing, newPath), "link", newPath);

    public static void Symlink(string target, string linkPath)
        => Check(LibC.Symlink(target, linkPath), "symlink", linkPath);

    public static string ReadLink(string path)
    {
        var size = 256;
        while (true)
        {
            var buffer = new byte[size];
            nint n;
            fixed (byte* p = buffer)
            {
                n = LibC.Readlink(path, p, (nuint)buffer.Length);
            }

            if (n < 0)
            {
                throw Error("readlink", path);
            }

            if (n < buffer.Length)
            {
                return Encoding.UTF8.GetString(buffer, 0, (int)n);
            }

            size *= 4;
        }
    }

    public static void LChown(string path, uint uid, uint gid)
        => Check(LibC.Lchown(path, uid, gid), "lchown", path);

    /// <summary>chmod(2) follows symlinks: only call it on paths known not to be one.</summary>
    public static void Chmod(string path, uint mode)
        => Check(LibC.Chmod(path, mode & 0xFFF), "chmod", path);

    public static void LSetXattr(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            Check(LibC.Lsetxattr(path, name, p, (nuint)value.Length, 0), "lsetxattr", path);
        }
    }

    /// <summary>The attribute's value, or null when the file does not have it.</summary>
    public static byte[]? LGetXattr(string path, string name)
    {
        while (true)
        {
            var size = LibC.Lgetxattr(path, name, null, 0);
            if (size < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno == Errno.ENODATA ? null : throw new ErrnoException("lgetxattr", errno, path);
            }

            var buffer = new byte[size];
            nint n;
            fixed (byte* p = buffer)
            {
                n = LibC.Lgetxattr(path, name, p, (nuint)buffer.Length);
            }

            if (n >= 0)
            {
                return n == buffer.Length ? buffer : buffer[..(int)n];
            }

            // The value grew between the two calls: ask again.
            if (Marshal.GetLastPInvokeError() != Errno.ERANGE)
            {
                throw Error("lgetxattr", path);
            }
        }
    }

    public static IReadOnlyList<string> LListXattr(string path)
    {
        while (true)
        {
            var size = LibC.Llistxattr(path, null, 0);
            if (size < 0)
            {
                throw Error("llistxattr", path);
            }

            if (size == 0)
            {
                return [];
            }

            var buffer = new byte[size];
            nint n;
            fixed (byte* p = buffer)
            {
                n = LibC.Llistxattr(path, p, (nuint)buffer.Length);
            }

            if (n >= 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, (int)n).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }

            if (Marshal.GetLastPInvokeError() != Errno.ERANGE)
            {
                throw Error("llistxattr", path);
            }
        }
    }

    /// <summary>Sets access and modification times without following a final symlink.</summary>
    public static void LSetTimes(string path, long accessSeconds, long accessNanoseconds, long modifySeconds, long modifyNanoseconds)
    {
        var times = stackalloc Timespec[2];
        times[0] = new Timespec { Seconds = accessSeconds, Nanoseconds = accessNanoseconds };
        times[1] = new Timespec { Seconds = modifySeconds, Nanoseconds = modifyNanoseconds };
        Check(LibC.Utimensat(LibC.AtFdCwd, path, times, LibC.AtSymlinkNoFollow), "utimensat", path);
    }

    /// <summary>Sets both times from a wall-clock instant, without following a final symlink.</summary>
    public static void LSetTimes(string path, DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rem);
        if (rem < 0)
        {
            seconds--;
            rem += TimeSpan.TicksPerSecond;
        }

        LSetTimes(path, seconds, rem * 100, seconds, rem * 100);
    }

    /// <summary>lstat via statx; throws ENOENT as an <see cref="ErrnoException"/>.</summary>
    public static FileStatus LStat(string path)
        => TryLStat(path, out var status, out var errno) ? status : throw new ErrnoException("statx", errno, path);

    /// <summary>lstat that reports a missing path as false instead of throwing.</summary>
    public static bool TryLStat(string path, out FileStatus status)
    {
        if (TryLStat(path, out status, out var errno))
        {
            return true;
        }

        return errno is Errno.ENOENT or Errno.ENOTDIR ? false : throw new ErrnoException("statx", errno, path);
    }

    private static bool TryLStat(string path, out FileStatus status, out int errno)
        => TryStatx(LibC.AtFdCwd, path, LibC.AtSymlinkNoFollow, out status, out errno);

    /// <summary>statx(2) relative to <paramref name="dirFd"/> with the given AT_* flags.</summary>
    internal static bool TryStatx(int dirFd, string path, int flags, out FileStatus status, out int errno)
    {
        var buffer = stackalloc byte[256];
        if (LibC.Statx(dirFd, path, flags, LibC.StatxBasicStats, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            status = default;
            return false;
        }

        var s = new ReadOnlySpan<byte>(buffer, 256);
        errno = 0;

        // Offsets from struct statx in include/uapi/linux/stat.h.
        status = new FileStatus(
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(s[28..]),
            Uid: BinaryPrimitives.ReadUInt32LittleEndian(s[20..]),
            Gid: BinaryPrimitives.ReadUInt32LittleEndian(s[24..]),
            Size: BinaryPrimitives.ReadUInt64LittleEndian(s[40..]),
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(s[32..]),
            LinkCount: BinaryPrimitives.ReadUInt32LittleEndian(s[16..]),
            DeviceMajor: BinaryPrimitives.ReadUInt32LittleEndian(s[136..]),
            DeviceMinor: BinaryPrimitives.ReadUInt32LittleEndian(s[140..]),
            RdevMajor: BinaryPrimitives.ReadUInt32LittleEndian(s[128..]),
            RdevMinor: BinaryPrimitives.ReadUInt32LittleEndian(s[132..]),
            AccessSeconds: BinaryPrimitives.ReadInt64LittleEndian(s[64..]),
            AccessNanoseconds: BinaryPrimitives.ReadUInt32LittleEndian(s[72..]),
            ModifySeconds: BinaryPrimitives.ReadInt64LittleEndian(s[112..]),
            ModifyNanoseconds: BinaryPrimitives.ReadUInt32LittleEndian(s[120..]));
        return true;
    }

    // glibc's gnu_dev_makedev encoding.
    private static ulong MakeDev(uint major, uint minor)
        => ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8)
            | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    private static void Check(int result, string operation, string path)
    {
        if (result != 0)
        {
            throw Error(operation, path);
        }
    }

    private static ErrnoException Error(string operation, string path)
        => new(operation, Marshal.GetLastPInvokeError(), path);
}
