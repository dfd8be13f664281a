using System.Formats.Tar;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Content;
using Wharf.Core.Images;
using Wharf.Engine;
using Wharf.Snapshots;

namespace Wharf.Images.Tests;

/// <summary>An image service over real stores in a temporary directory (vfs snapshots: no mounts needed).</summary>
internal sealed class Harness : IAsyncDisposable
{
    private Harness(string dir)
    {
        Dir = dir;
        Events = new EventService(TimeProvider.System);
        Service = Create();
    }

    public string Dir { get; }

    public EventService Events { get; }

    public ImageService Service { get; private set; }

    public static async Task<Harness> StartAsync()
    {
        var h = new Harness(Directory.CreateTempSubdirectory("wharf-images-test-").FullName);
        await h.Service.InitializeAsync(CancellationToken.None);
        return h;
    }

    /// <summary>A new service over the same directories, as after a daemon restart.</summary>
    public async Task RestartAsync()
    {
        Service = Create();
        await Service.InitializeAsync(CancellationToken.None);
    }

    private ImageService Create() => new(
        Path.Combine(Dir, "image"),
        new FileContentStore(Path.Combine(Dir, "content")),
        SnapshotterFactory.Create(Path.Combine(Dir, "snapshots"), "vfs"),
        Events,
        TimeProvider.System,
        NullLogger<ImageService>.Instance,
        new LayerDecompressor(s => new Wharf.Linux.ZstdDecompressStream(s)));

    public async Task<string> ImportAsync(string marker, string? repo = null, string? tag = null, params string[] changes)
    {
        var id = await Service.ImportAsync(new MemoryStream(Rootfs(marker)), new ImportRequest { Repository = repo, Tag = tag, Changes = changes }, _ => ValueTask.CompletedTask, CancellationToken.None);
        return id.Value;
    }

    public static byte[] Rootfs(string marker) => Tar(w =>
    {
        w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "etc/") { Mode = (UnixFileMode)0b111_101_101 });
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "etc/marker") { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(marker)) });
    });

    public static byte[] Tar(Action<TarWriter> write)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(w);
        }

        return ms.ToArray();
    }

    public async Task<byte[]> SaveAsync(params string[] names)
    {
        var ms = new MemoryStream();
        await Service.PrepareSave(names)(ms, CancellationToken.None);
        return ms.ToArray();
    }

    public async Task<List<string>> LoadAsync(byte[] archive)
    {
        var messages = new List<string>();
        await Service.LoadAsync(new MemoryStream(archive), quiet: true, m =>
        {
            messages.Add(m.Stream ?? m.Status ?? "");
            return ValueTask.CompletedTask;
        }, CancellationToken.None);
        return messages;
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Dir, recursive: true);
        return ValueTask.CompletedTask;
    }
}
