using System.Formats.Tar;
using System.Text;

namespace Wharf.Integration.Tests;

/// <summary>
/// One wharfd shared by the tests of a volume test class (they use unique names), with
/// <c>busybox</c> and <c>vol-image</c>: busybox plus <c>/data</c> owned 1000:1000 mode 0750
/// holding <c>seed.txt</c> (1000:1000, 0640), declared <c>VOLUME /data</c>.
/// </summary>
public sealed class VolumeDaemon : IAsyncLifetime
{
    internal WharfDaemon D { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        D = await WharfDaemon.StartAsync();
        await D.ImportAsync(Tars.Busybox("volumes"), "busybox", "latest", "CMD [\"sh\"]");
        await D.ImportAsync(WithData(Tars.Busybox("vol-image")), "vol-image", "latest", "CMD [\"sh\"]", "VOLUME /data");
    }

    public async Task DisposeAsync() => await D.DisposeAsync();

    private static byte[] WithData(byte[] busybox)
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            using var reader = new TarReader(new MemoryStream(busybox));
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                writer.WriteEntry(entry);
            }

            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "data/") { Mode = (UnixFileMode)Convert.ToInt32("750", 8), Uid = 1000, Gid = 1000 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "data/seed.txt") { Mode = (UnixFileMode)Convert.ToInt32("640", 8), Uid = 1000, Gid = 1000, DataStream = new MemoryStream(Encoding.UTF8.GetBytes("seeded\n")) });
        }

        return output.ToArray();
    }
}
