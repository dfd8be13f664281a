using System.Formats.Tar;
using System.Text;

namespace Wharf.Integration.Tests;

/// <summary>Builds small tars in memory for tests.</summary>
internal static class Tars
{
    public static byte[] Build(params (string Name, string? Content)[] files) => Build(w =>
    {
        foreach (var (name, content) in files)
        {
            w.WriteEntry(content is null
                ? new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 }
                : new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        }
    });

    public static byte[] Build(Action<TarWriter> write)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(w);
        }

        return ms.ToArray();
    }

    /// <summary>A root filesystem with Debian's static busybox as /bin/busybox and /bin/sh.</summary>
    public static byte[] Busybox(string marker) => Build(w =>
    {
        w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0b111_101_101 });
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = (UnixFileMode)0b111_101_101, DataStream = File.OpenRead("/bin/busybox") });
        w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox", Mode = (UnixFileMode)0b111_111_111 });
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "marker") { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(marker)) });
    });
}
