using Wharf.Linux;

namespace Wharf.Snapshots.Rootfs;

/// <summary>
/// Go's os.FileMode bits, which Docker puts in the path stat of the archive endpoints: the
/// type and special bits live at the top of the word, not where st_mode has them.
/// </summary>
internal static class GoFileMode
{
    public const uint Dir = 1u << 31;
    public const uint Symlink = 1u << 27;
    public const uint Device = 1u << 26;
    public const uint NamedPipe = 1u << 25;
    public const uint Socket = 1u << 24;
    public const uint Setuid = 1u << 23;
    public const uint Setgid = 1u << 22;
    public const uint CharDevice = 1u << 21;
    public const uint Sticky = 1u << 20;

    /// <summary>Converts a Linux st_mode (type and permission bits) to Go's FileMode.</summary>
    public static uint FromUnix(uint mode)
    {
        var result = mode & 0x1FF;
        result |= (FileKind)(mode & 0xF000) switch
        {
            FileKind.Directory => Dir,
            FileKind.SymbolicLink => Symlink,
            FileKind.Fifo => NamedPipe,
            FileKind.Socket => Socket,
            FileKind.CharacterDevice => Device | CharDevice,
            FileKind.BlockDevice => Device,
            _ => 0u,
        };
        if ((mode & 0x800) != 0)
        {
            result |= Setuid;
        }

        if ((mode & 0x400) != 0)
        {
            result |= Setgid;
        }

        if ((mode & 0x200) != 0)
        {
            result |= Sticky;
        }

        return result;
    }
}
