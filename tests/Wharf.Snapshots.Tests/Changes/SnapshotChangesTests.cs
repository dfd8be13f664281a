using System.Formats.Tar;
using Wharf.Core.Snapshots;
using Wharf.Snapshots.Changes;

namespace Wharf.Snapshots.Tests.Changes;

/// <summary>
/// A container layer's changes and its layer tar, for both drivers: what a container does
/// through its mounted root is listed as Docker lists it, and the tar, applied as a new layer,
/// reproduces the container's view (deleted files stay deleted, runtime mount points stay out).
/// </summary>
public abstract class SnapshotChangesTests : IDisposable
{
    private static readonly IReadOnlySet<string> InitLayer = new HashSet<string>(StringComparer.Ordinal) { "/proc", "/etc/hosts" };

    private readonly TempRoot _temp = new();

    private protected SnapshotChangesTests(Func<string, ISnapshotter> create)
    {
        Snapshotter = create(_temp.Root);
        Changes = new SnapshotChanges(Snapshotter);
    }

    private protected ISnapshotter Snapshotter { get; }

    private protected SnapshotChanges Changes { get; }

    public void Dispose()
    {
        foreach (var id in Snapshotter.ListActive())
        {
            Snapshotter.RemoveActiveAsync(id, CancellationToken.None).GetAwaiter().GetResult();
        }

        _temp.Dispose();
    }

    private async Task<(string Key, string Root)> ContainerAsync()
    {
        var key = Keys.Of("changes-base");
        var tar = new TarBuilder()
            .Dir("etc").File("etc/passwd", "root:x:0:0\n").File("etc/group", "root:x:0:\n")
            .Dir("opq").File("opq/a", "a").File("opq/b", "b")
            .File("keep", "keep")
            .Dir("var").Dir("var/lib").File("var/lib/x", "x");
        await Snapshotter.ApplyLayerAsync(key, null, tar.ToStream(), CancellationToken.None);
        await Snapshotter.PrepareActiveAsync("c1", key, CancellationToken.None);
        return (key, await Snapshotter.MountActiveAsync("c1", CancellationToken.None));
    }

    private static void ChangeLikeAContainer(string root)
    {
        File.Delete(Path.Join(root, "etc/group"));
        File.WriteAllText(Path.Join(root, "etc/passwd"), "root:x:0:0\napp:x:1000:1000\n");
        File.WriteAllText(Path.Join(root, "keep2"), "new");
        Directory.Delete(Path.Join(root, "opq"), recursive: true);
        Directory.CreateDirectory(Path.Join(root, "opq"));
        File.WriteAllText(Path.Join(root, "opq/c"), "c");
        Directory.CreateDirectory(Path.Join(root, "run"));

        // What a runtime leaves: an empty mount point file and directory.
        File.WriteAllText(Path.Join(root, "etc/hosts"), "");
        Directory.CreateDirectory(Path.Join(root, "proc"));
    }

    [Fact]
    public async Task ListsChangesAsDockerDoes()
    {
        var (_, root) = await ContainerAsync();
        Assert.Empty(await Changes.GetChangesAsync("c1", InitLayer, CancellationToken.None));
        ChangeLikeAContainer(root);
        var changes = await Changes.GetChangesAsync("c1", InitLayer, CancellationToken.None);
        Assert.Equal(
            "C/etc D/etc/group C/etc/passwd A/keep2 C/opq D/opq/a D/opq/b A/opq/c A/run",
            string.Join(' ', changes.Select(c => $"{"CAD"[(int)c.Kind]}{c.Path}")));
    }

    [Fact]
    public async Task TheLayerTarReproducesTheContainer()
    {
        var (key, root) = await ContainerAsync();
        ChangeLikeAContainer(root);
        var diff = new MemoryStream();
        await Changes.WriteDiffAsync("c1", InitLayer, diff, CancellationToken.None);
        diff.Position = 0;
        var names = new List<string>();
        using (var reader = new TarReader(new MemoryStream(diff.ToArray())))
        {
            while (reader.GetNextEntry() is { } e)
            {
                names.Add(e.Name);
            }
        }

        Assert.Contains("etc/", names);
        Assert.Contains("etc/.wh.group", names);
        Assert.Contains("keep2", names);
        Assert.DoesNotContain("etc/hosts", names);
        Assert.DoesNotContain(names, n => n.StartsWith("proc", StringComparison.Ordinal));
        Assert.True(names.IndexOf("etc/") < names.IndexOf("etc/passwd"));

        var committed = Keys.Of("changes-committed");
        await Snapshotter.ApplyLayerAsync(committed, key, diff, CancellationToken.None);
        await Snapshotter.PrepareActiveAsync("c2", committed, CancellationToken.None);
        var view = await Snapshotter.MountActiveAsync("c2", CancellationToken.None);
        Assert.False(File.Exists(Path.Join(view, "etc/group")));
        Assert.Equal("root:x:0:0\napp:x:1000:1000\n", File.ReadAllText(Path.Join(view, "etc/passwd")));
        Assert.Equal("new", File.ReadAllText(Path.Join(view, "keep2")));
        Assert.Equal(["c"], Directory.EnumerateFileSystemEntries(Path.Join(view, "opq")).Select(Path.GetFileName));
        Assert.True(Directory.Exists(Path.Join(view, "run")));
        Assert.False(File.Exists(Path.Join(view, "etc/hosts")));
        Assert.False(Directory.Exists(Path.Join(view, "proc")));
        Assert.Equal("x", File.ReadAllText(Path.Join(view, "var/lib/x")));

        // The committed image's container starts with no changes of its own.
        Assert.Empty(await Changes.GetChangesAsync("c2", InitLayer, CancellationToken.None));
    }

    [Fact]
    public async Task NoChangesMakeAnEmptyTar()
    {
        await ContainerAsync();
        var diff = new MemoryStream();
        await Changes.WriteDiffAsync("c1", InitLayer, diff, CancellationToken.None);
        Assert.Equal(new byte[1024], diff.ToArray());
    }

    [Fact]
    public async Task ALinkSwappedInDoesNotLeadOutOfTheLayer()
    {
        var (_, root) = await ContainerAsync();

        // A container replacing a directory by a link to "/" between listing and reading
        // cannot make the layer tar contain the host's files: lookups never follow it.
        Directory.CreateDirectory(Path.Join(root, "newdir"));
        File.WriteAllText(Path.Join(root, "newdir/f"), "f");
        Directory.Delete(Path.Join(root, "newdir"), recursive: true);
        File.CreateSymbolicLink(Path.Join(root, "newdir"), "/");
        var diff = new MemoryStream();
        await Changes.WriteDiffAsync("c1", InitLayer, diff, CancellationToken.None);
        diff.Position = 0;
        using var reader = new TarReader(diff);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry() is { } e)
        {
            entries.Add(e);
        }

        var link = Assert.Single(entries);
        Assert.Equal(TarEntryType.SymbolicLink, link.EntryType);
        Assert.Equal("/", link.LinkName);
    }
}

public sealed class OverlaySnapshotChangesTests() : SnapshotChangesTests(root => new OverlaySnapshotter(root));

public sealed class CopySnapshotChangesTests() : SnapshotChangesTests(root => new CopySnapshotter(root));
