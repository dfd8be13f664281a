using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Wharf.Linux;

/// <summary>
/// File operations relative to open directory handles. A tree that someone else can change
/// while we walk it (a running container's root filesystem) is only safe to touch this way:
/// every lookup starts from a handle we already hold and never follows a final symlink, and
/// multi-component paths go through openat2 with <see cref="ResolveOptions.InRoot"/>, so no
/// symlink or ".." can lead out of the root, however the tree changes meanwhile.
/// </summary>
public static unsafe class PosixAt
{
    private const int OReadOnly = 0;
    private const int OWriteOnly = 1;
    private const int OCreat = 0x40;
    private const int OExcl = 0x80;
    private const int OTrunc = 0x200;
    private const int ONonBlock = 0x800;
    private const int OCloexec = 0x80000;
    private const int OPath = 0x200000;
    private const uint IfIfo = 0x1000;
    private const uint StatxMountId = 0x1000;

    // What fgetxattr and fchmod answer for an O_PATH handle.
    private const int EBadF = 9;

    private static readonly bool IsArm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    // The file systems whose files are kernel interfaces rather than data: reading them as the
    // daemon would disclose the host, writing them would configure it.
    private static readonly HashSet<long> PseudoFileSystems =
    [
        0x9fa0, // proc
        0x62656572, // sysfs
        0x27e0eb, // cgroup
        0x63677270, // cgroup2
        0x64626720, // debugfs
        0x74726163, // tracefs
        0x73636673, // securityfs
        0xcafe4a11, // bpf
        0x1cd1, // devpts
        0x62656570, // configfs
        0x6165676c, // pstore
        0xde5e81e4, // efivarfs
        0x65735543, // fusectl
        0x19800202, // mqueue
        0x42494e4d, // binfmt_misc
        0x67596969, // rpc_pipefs
        0x50495045, // pipefs
        0x534f434b, // sockfs
        0x6e736673, // nsfs
    ];

    /// <summary>open(2) of an absolute or cwd-relative path.</summary>
    public static SafeFileHandle Open(string path, OpenOptions options)
        => Wrap(LibC.Openat(LibC.AtFdCwd, path, ToNative(options), 0), "open", path);

    /// <summary>openat(2) of one name (or a relative path) below <paramref name="dir"/>.</summary>
    public static SafeFileHandle OpenAt(SafeFileHandle dir, string name, OpenOptions options, uint mode = 0)
        => Wrap(LibC.Openat(Fd(dir), name, ToNative(options), mode), "openat", name);

    /// <summary>
    /// openat2(2): resolves <paramref name="path"/> below <paramref name="root"/> under the
    /// <paramref name="resolve"/> rules (an absolute path is taken relative to the root when
    /// <see cref="ResolveOptions.InRoot"/> is given).
    /// </summary>
    public static SafeFileHandle OpenInRoot(SafeFileHandle root, string path, OpenOptions options, ResolveOptions resolve, uint mode = 0)
    {
        var how = new LibC.OpenHow { Flags = (ulong)(uint)ToNative(options), Mode = (options & OpenOptions.Create) != 0 ? mode : 0, Resolve = (ulong)resolve };
        var bytes = Encoding.UTF8.GetBytes((path.Length == 0 ? "." : path) + "\0");

        fixed (byte* p = bytes)
        {
            var fd = LibC.SyscallOpenat2(LibC.SysOpenat2, Fd(root), p, &how, (nuint)sizeof(LibC.OpenHow));
            return Wrap((int)fd, "openat2", path);
        }
    }

    /// <summary>fstat of an open handle (does not follow: an O_PATH handle of a symlink reports the link).</summary>
    public static FileStatus Stat(SafeFileHandle handle)
        => Posix.TryStatx(Fd(handle), "", LibC.AtEmptyPath | LibC.AtSymlinkNoFollow, out var st, out var errno)
            ? st
            : throw new ErrnoException("fstat", errno, null);

    /// <summary>lstat of one name below <paramref name="dir"/>; false when it does not exist.</summary>
    public static bool TryStatAt(SafeFileHandle dir, string name, out FileStatus status)
    {
        if (Posix.TryStatx(Fd(dir), name, LibC.AtSymlinkNoFollow, out status, out var errno))
        {
            return true;
        }

        return errno is Errno.ENOENT or Errno.ENOTDIR ? false : throw new ErrnoException("statx", errno, name);
    }

    /// <summary>readlinkat(2); an empty <paramref name="name"/> reads the symlink an O_PATH handle names.</summary>
    public static string ReadLinkAt(SafeFileHandle dir, string name)
    {
        var size = 256;
        while (true)
        {
            var buffer = new byte[size];
            nint n;
            fixed (byte* p = buffer)
            {
                n = LibC.Readlinkat(Fd(dir), name, p, (nuint)buffer.Length);
            }

            if (n < 0)
            {
                throw Error("readlinkat", name);
            }

            if (n < buffer.Length)
            {
                return Encoding.UTF8.GetString(buffer, 0, (int)n);
            }

            size *= 4;
        }
    }

    public static void MakeDirectoryAt(SafeFileHandle dir, string name, uint mode)
        => Check(LibC.Mkdirat(Fd(dir), name, mode), "mkdirat", name);

    public static void UnlinkAt(SafeFileHandle dir, string name, bool directory)
        => Check(LibC.Unlinkat(Fd(dir), name, directory ? LibC.AtRemoveDir : 0), "unlinkat", name);

    public static void SymlinkAt(string target, SafeFileHandle dir, string name)
        => Check(LibC.Symlinkat(target, Fd(dir), name), "symlinkat", name);

    /// <summary>Hard-links the file <paramref name="existing"/> refers to (an O_PATH handle is enough) as <paramref name="name"/> in <paramref name="dir"/>.</summary>
    public static void LinkAt(SafeFileHandle existing, SafeFileHandle dir, string name)
        => Check(LibC.Linkat(Fd(existing), "", Fd(dir), name, LibC.AtEmptyPath), "linkat", name);

    public static void MakeFifoAt(SafeFileHandle dir, string name, uint permissions)
        => Check(LibC.Mknodat(Fd(dir), name, IfIfo | (permissions & 0xFFF), 0), "mknodat", name);

    /// <summary>Changes the owner of what the handle refers to (a symlink itself when it is an O_PATH handle of one).</summary>
    public static void ChownHandle(SafeFileHandle handle, uint uid, uint gid)
        => Check(LibC.Fchownat(Fd(handle), "", uid, gid, LibC.AtEmptyPath | LibC.AtSymlinkNoFollow), "fchownat", null);

    /// <summary>
    /// Sets permission bits (07777). O_PATH handles cannot fchmod, so those go through
    /// /proc/self/fd, which names exactly the inode the handle holds. Never call it on a symlink.
    /// </summary>
    public static void ChmodHandle(SafeFileHandle handle, uint mode)
    {
        if (LibC.Fchmod(Fd(handle), mode & 0xFFF) == 0)
        {
            return;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno != EBadF)
        {
            throw new ErrnoException("fchmod", errno, null);
        }

        Posix.Chmod("/proc/self/fd/" + Fd(handle).ToString(System.Globalization.CultureInfo.InvariantCulture), mode);
    }

    /// <summary>Sets access and modification time of one name below <paramref name="dir"/> without following it.</summary>
    public static void SetTimesAt(SafeFileHandle dir, string name, DateTimeOffset time) => SetTimesAt(dir, name, time, time);

    /// <summary>Sets the access and the modification time of one name below <paramref name="dir"/> ("" is the directory itself) without following it.</summary>
    public static void SetTimesAt(SafeFileHandle dir, string name, DateTimeOffset access, DateTimeOffset modify)
    {
        var times = stackalloc Timespec[2];
        times[0] = ToTimespec(access);
        times[1] = ToTimespec(modify);
        Check(LibC.Utimensat(Fd(dir), name.Length == 0 ? "." : name, times, LibC.AtSymlinkNoFollow), "utimensat", name);
    }

    private static Timespec ToTimespec(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rem);
        if (rem < 0)
        {
            seconds--;
            rem += TimeSpan.TicksPerSecond;
        }

        return new Timespec { Seconds = seconds, Nanoseconds = rem * 100 };
    }

    /// <summary>The ID of the mount the handle's file is on (statx STATX_MNT_ID, Linux 5.8+).</summary>
    public static ulong MountId(SafeFileHandle handle)
    {
        var buffer = stackalloc byte[256];
        Check(LibC.Statx(Fd(handle), "", LibC.AtEmptyPath | LibC.AtSymlinkNoFollow, StatxMountId, buffer), "statx", null);

        // struct statx: stx_mnt_id is the __u64 at offset 144.
        return *(ulong*)(buffer + 144);
    }

    /// <summary>The f_type magic of the file system holding the handle's file.</summary>
    public static long FileSystemType(SafeFileHandle handle)
    {
        var buffer = stackalloc byte[256];
        Check(LibC.Fstatfs(Fd(handle), buffer), "fstatfs", null);
        return *(long*)buffer;
    }

    /// <summary>True for proc, sysfs, cgroup and the other kernel-interface file systems.</summary>
    public static bool IsPseudoFileSystem(SafeFileHandle handle) => PseudoFileSystems.Contains(FileSystemType(handle));

    /// <summary>The names in a directory (without "." and ".."), read through a fresh handle.</summary>
    public static IReadOnlyList<string> ListDirectory(SafeFileHandle dir)
    {
        var fd = LibC.Openat(Fd(dir), ".", OReadOnly | DirectoryFlag() | OCloexec, 0);
        if (fd < 0)
        {
            throw Error("openat", ".");
        }

        var stream = LibC.Fdopendir(fd);
        if (stream == 0)
        {
            var e = Error("fdopendir", null);
            LibC.Close(fd);
            throw e;
        }

        var names = new List<string>();
        try
        {
            while (true)
            {
                var entry = LibC.Readdir(stream);
                if (entry is null)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != 0)
                    {
                        throw new ErrnoException("readdir", errno, null);
                    }

                    break;
                }

                // struct dirent: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
                var name = Marshal.PtrToStringUTF8((nint)(entry + 19)) ?? "";
                if (name is not ("." or ".." or ""))
                {
                    names.Add(name);
                }
            }
        }
        finally
        {
            LibC.Closedir(stream);
        }

        return names;
    }

    /// <summary>The attribute's value, or null when the file has none or the file system has no xattrs.</summary>
    public static byte[]? GetXattr(SafeFileHandle handle, string name)
    {
        while (true)
        {
            var size = LibC.Fgetxattr(Fd(handle), name, null, 0);
            if (size < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno is Errno.ENODATA or Errno.EOPNOTSUPP or EBadF ? null : throw new ErrnoException("fgetxattr", errno, null);
            }

            var buffer = new byte[size];
            nint n;
            fixed (byte* p = buffer)
            {
                n = LibC.Fgetxattr(Fd(handle), name, p, (nuint)buffer.Length);
            }

            if (n >= 0)
            {
                return n == buffer.Length ? buffer : buffer[..(int)n];
            }

            if (Marshal.GetLastPInvokeError() != Errno.ERANGE)
            {
                throw Error("fgetxattr", null);
            }
        }
    }

    /// <summary>Sets an xattr on an open (non-O_PATH) handle; false when the file system or namespace refuses it.</summary>
    public static bool TrySetXattr(SafeFileHandle handle, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            if (LibC.Fsetxattr(Fd(handle), name, p, (nuint)value.Length, 0) == 0)
            {
                return true;
            }
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno is Errno.EOPNOTSUPP or Errno.EPERM or Errno.EACCES ? false : throw new ErrnoException("fsetxattr", errno, null);
    }

    private static int DirectoryFlag() => IsArm ? 0x4000 : 0x10000;

    private static int NoFollowFlag() => IsArm ? 0x8000 : 0x20000;

    private static int ToNative(OpenOptions o)
    {
        var flags = OCloexec;
        flags |= (o & OpenOptions.WriteOnly) != 0 ? OWriteOnly : OReadOnly;
        if ((o & OpenOptions.Create) != 0)
        {
            flags |= OCreat;
        }

        if ((o & OpenOptions.Exclusive) != 0)
        {
            flags |= OExcl;
        }

        if ((o & OpenOptions.Truncate) != 0)
        {
            flags |= OTrunc;
        }

        if ((o & OpenOptions.Directory) != 0)
        {
            flags |= DirectoryFlag();
        }

        if ((o & OpenOptions.NoFollow) != 0)
        {
            flags |= NoFollowFlag();
        }

        if ((o & OpenOptions.Path) != 0)
        {
            flags |= OPath;
        }

        if ((o & OpenOptions.NonBlock) != 0)
        {
            flags |= ONonBlock;
        }

        return flags;
    }

    private static int Fd(SafeFileHandle handle)
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, handle);
        return (int)handle.DangerousGetHandle();
    }

    private static SafeFileHandle Wrap(int fd, string operation, string? path)
        => fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Error(operation, path);

    private static void Check(int result, string operation, string? path)
    {
        if (result != 0)
        {
            throw Error(operation, path);
        }
    }

    private static ErrnoException Error(string operation, string? path)
        => new(operation, Marshal.GetLastPInvokeError(), path);
}
