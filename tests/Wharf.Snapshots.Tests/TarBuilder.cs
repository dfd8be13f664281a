using System.Formats.Tar;
using System.Text;

namespace Wharf.Snapshots.Tests;

/// <summary>Builds layer tars in memory.</summary>
internal sealed class TarBuilder
{
    public static readonly DateTimeOffset Time = new(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly MemoryStream _stream = new();
    private readonly TarWriter _writer;
    private readonly TarEntryFormat _format;

    public TarBuilder(TarEntryFormat format = TarEntryFormat.Pax)
    {
        _format = format;
        _writer = new TarWriter(_stream, format, leaveOpen: true);
    }

    public static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    public TarBuilder Dir(string name, string mode = "755", int uid = 0, int gid = 0)
        => Add(Entry(TarEntryType.Directory, name, mode, uid, gid));

    public TarBuilder File(string name, string content, string mode = "644", int uid = 0, int gid = 0, IEnumerable<KeyValuePair<string, string>>? pax = null)
    {
        var entry = Entry(TarEntryType.RegularFile, name, mode, uid, gid, pax);
        entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        return Add(entry);
    }

    public TarBuilder Symlink(string name, string target)
    {
        var entry = Entry(TarEntryType.SymbolicLink, name, "777", 0, 0);
        entry.LinkName = target;
        return Add(entry);
    }

    public TarBuilder HardLink(string name, string target)
    {
        var entry = Entry(TarEntryType.HardLink, name, "644", 0, 0);
        entry.LinkName = target;
        return Add(entry);
    }

    public TarBuilder Fifo(string name) => Add(Entry(TarEntryType.Fifo, name, "640", 0, 0));

    public TarBuilder CharDevice(string name, int major, int minor)
    {
        var entry = (PosixTarEntry)Entry(TarEntryType.CharacterDevice, name, "666", 0, 0);
        entry.DeviceMajor = major;
        entry.DeviceMinor = minor;
        return Add(entry);
    }

    public TarBuilder Whiteout(string directory, string name) => File(Join(directory, ".wh." + name), string.Empty);

    public TarBuilder Opaque(string directory) => File(Join(directory, ".wh..wh..opq"), string.Empty);

    public TarBuilder Add(TarEntry entry)
    {
        _writer.WriteEntry(entry);
        return this;
    }

    public byte[] ToArray()
    {
        _writer.Dispose();
        return _stream.ToArray();
    }

    public MemoryStream ToStream() => new(ToArray());

    private TarEntry Entry(TarEntryType type, string name, string mode, int uid, int gid, IEnumerable<KeyValuePair<string, string>>? pax = null)
    {
        TarEntry entry = _format switch
        {
            TarEntryFormat.Pax => pax is null ? new PaxTarEntry(type, name) : new PaxTarEntry(type, name, pax),
            TarEntryFormat.Gnu => new GnuTarEntry(type, name),
            TarEntryFormat.Ustar => new UstarTarEntry(type, name),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        entry.Mode = Mode(mode);
        entry.Uid = uid;
        entry.Gid = gid;
        entry.ModificationTime = Time;
        return entry;
    }

    private static string Join(string directory, string name) => directory.Length == 0 ? name : directory.TrimEnd('/') + "/" + name;
}
