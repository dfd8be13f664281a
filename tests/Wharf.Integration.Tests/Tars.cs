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

    /// <summary>Every applet of Debian's static busybox (sh, cat, sleep, ...), linked in /bin.</summary>
    private static readonly Lazy<string[]> Applets = new(() =>
    {
        var psi = new System.Diagnostics.ProcessStartInfo("/bin/busybox", "--list") { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(psi)!;
        var list = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.WaitForExit();
        return [.. list.Where(a => a != "busybox" && !a.Contains('/', StringComparison.Ordinal))];
    });

    /// <summary>A root filesystem with Debian's static busybox as /bin/busybox, every applet linked, /etc/passwd and /etc/group.</summary>
    public static byte[] Busybox(string marker) => Build(w =>
    {
        w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0b111_101_101 });
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = (UnixFileMode)0b111_101_101, DataStream = File.OpenRead("/bin/busybox") });
        foreach (var applet in Applets.Value)
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox", Mode = (UnixFileMode)0b111_111_111 });
        }

        w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "etc/") { Mode = (UnixFileMode)0b111_101_101 });
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/passwd") { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n"u8.ToArray()) });
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/group") { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream("root:x:0:\nnogroup:x:65534:\n"u8.ToArray()) });
        w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "tmp/") { Mode = (UnixFileMode)0b111_111_111 });
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "marker") { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(marker)) });
    });
}
