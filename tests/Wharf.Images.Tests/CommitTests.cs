using System.Formats.Tar;
using System.Text;
using Wharf.Core.Errors;
using Wharf.Core.Images;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Images.Tests;

/// <summary>Commits through the image service over real stores: layers, config, history, tag, failures.</summary>
public sealed class CommitTests
{
    private static ImageCommitRequest Request(string parent, string? repo = null, string? tag = null) => new()
    {
        ParentImageId = Digest.Parse(parent),
        ContainerId = new string('c', 64),
        ContainerConfig = new ContainerConfig { Hostname = "cccccccccccc", Image = "base", Cmd = ["sh", "-c", "touch /x"] },
        Author = "someone",
        Comment = "a message",
        Repository = repo,
        Tag = tag,
    };

    private static Func<Stream, CancellationToken, Task> Layer(params (string Name, string Content)[] files) => async (output, ct) =>
    {
        var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer)
        {
            foreach (var (name, content) in files)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) }, ct);
            }
        }

        if (files.Length == 0)
        {
            await output.WriteAsync(new byte[1024], ct);
        }
    };

    [Fact]
    public async Task ACommitAddsOneLayerAHistoryEntryAndTheParent()
    {
        await using var h = await Harness.StartAsync();
        var parent = await h.ImportAsync("base", "base", "latest", "CMD [\"sh\"]", "ENV A=1");
        var id = await h.Service.CommitAsync(Request(parent, "committed", "v1"), Layer(("x", "new file")), CancellationToken.None);

        var view = h.Service.Inspect("committed:v1");
        Assert.Equal(id, view.Image.Id);
        Assert.Equal(parent, view.Image.Parent?.Value);
        var baseView = h.Service.Inspect(parent);
        Assert.Equal([.. baseView.Image.DiffIds, view.Image.DiffIds[^1]], view.Image.DiffIds);
        var config = view.Image.Config;
        Assert.Equal("someone", config.Author);
        Assert.Equal(new string('c', 64), config.Container);
        Assert.Equal(["sh", "-c", "touch /x"], config.Config!.Cmd);
        Assert.Equal(["A=1"], config.Config.Env);
        Assert.Equal("cccccccccccc", config.Config.Hostname);
        var last = config.History![^1];
        Assert.Equal(("someone", "sh -c touch /x", "a message", false), (last.Author, last.CreatedBy, last.Comment, last.EmptyLayer));
        Assert.Equal(baseView.Image.Config.History!.Count + 1, config.History.Count);
        var events = new List<string>();
        await foreach (var e in h.Events.StreamAsync(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000, Core.Filters.FilterSet.Parse(null), CancellationToken.None))
        {
            events.Add($"{e.Type}:{e.Action}:{e.Attributes.GetValueOrDefault("name")}");
        }

        Assert.Contains("image:tag:committed:v1", events);

        var history = h.Service.History("committed:v1");
        Assert.Equal(id.Value, history[0].Id);
        Assert.Equal(parent, history[1].Id);
        Assert.Equal(["base:latest"], history[1].Tags);
    }

    [Fact]
    public async Task NoChangesMakeAnEmptyHistoryEntryAndNoLayer()
    {
        await using var h = await Harness.StartAsync();
        var parent = await h.ImportAsync("base");
        var id = await h.Service.CommitAsync(Request(parent), Layer(), CancellationToken.None);
        var image = h.Service.Inspect(id.Value).Image;
        Assert.Equal(h.Service.Inspect(parent).Image.DiffIds, image.DiffIds);
        Assert.True(image.Config.History![^1].EmptyLayer);
        Assert.Empty(h.Service.Inspect(id.Value).RepoTags);
    }

    [Fact]
    public async Task BadReferencesAndChangesFailBeforeTheLayerIsRead()
    {
        await using var h = await Harness.StartAsync();
        var parent = await h.ImportAsync("base");
        var read = false;
        Func<Stream, CancellationToken, Task> layer = (_, _) =>
        {
            read = true;
            return Task.CompletedTask;
        };
        var bad = await Assert.ThrowsAsync<WharfException>(() => h.Service.CommitAsync(Request(parent, "Bad Repo"), layer, CancellationToken.None));
        Assert.Equal(ErrorKind.InvalidArgument, bad.Kind);
        var change = await Assert.ThrowsAsync<WharfException>(() => h.Service.CommitAsync(Request(parent) with { Changes = ["BOGUS x"] }, layer, CancellationToken.None));
        Assert.Equal("bogus is not a valid change command", change.Message);
        Assert.False(read);
    }

    [Fact]
    public async Task AFailedLayerLeavesNoImageAndNoContent()
    {
        await using var h = await Harness.StartAsync();
        var parent = await h.ImportAsync("base");
        var before = Directory.EnumerateFiles(Path.Combine(h.Dir, "content"), "*", SearchOption.AllDirectories).Count();
        var e = await Assert.ThrowsAsync<WharfException>(() => h.Service.CommitAsync(Request(parent, "failed"), async (output, ct) =>
        {
            await output.WriteAsync(new byte[700], ct);
            throw WharfException.Conflict("container went away");
        }, CancellationToken.None));
        Assert.Equal("container went away", e.Message);
        Assert.Equal(1, h.Service.Count);
        Assert.Equal(before, Directory.EnumerateFiles(Path.Combine(h.Dir, "content"), "*", SearchOption.AllDirectories).Count());
        await h.RestartAsync();
        Assert.Equal(1, h.Service.Count);
    }
}
