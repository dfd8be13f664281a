using Wharf.Core.Errors;
using Wharf.Core.Filters;
using Wharf.Core.Volumes;
using Wharf.Linux;

namespace Wharf.Volumes.Tests;

public sealed class VolumeServiceTests
{
    private static VolumeCreateRequest Named(string name, IReadOnlyDictionary<string, string>? labels = null, IReadOnlyDictionary<string, string>? options = null)
        => new() { Name = name, Labels = labels, Options = options };

    private static IReadOnlyList<string> Names(VolumeService s, FilterSet filters) => [.. s.List(filters).Volumes.Select(v => v.Name)];

    [Fact]
    public async Task CreateInspectListRemove()
    {
        await using var h = await Harness.StartAsync();
        var v = await h.Service.CreateAsync(Named("data1", new Dictionary<string, string> { ["team"] = "a" }), CancellationToken.None);
        Assert.Equal("data1", v.Name);
        Assert.Equal("local", v.Driver);
        Assert.Equal(Path.Join(h.Root, "data1", "_data"), v.Mountpoint);
        Assert.True(Directory.Exists(v.Mountpoint));
        Assert.Null(v.Options);
        Assert.False(v.Anonymous);
        Assert.Equal("a", h.Service.Inspect("data1").Labels!["team"]);

        await h.Service.CreateAsync(Named("abc"), CancellationToken.None);
        Assert.Equal(["abc", "data1"], Names(h.Service, FilterSet.Empty));

        await h.Service.RemoveAsync("data1", force: false, CancellationToken.None);
        Assert.False(Directory.Exists(Path.Join(h.Root, "data1")));
        var e = Assert.Throws<WharfException>(() => h.Service.Inspect("data1"));
        Assert.Equal((ErrorKind.NotFound, "get data1: no such volume"), (e.Kind, e.Message));
        Assert.Equal(["create", "destroy"], h.Events.Actions("data1"));
        Assert.Equal("local", h.Events.Published[0].Attributes["driver"]);
    }

    [Fact]
    public async Task CreatingAnExistingNameReturnsItUnchanged()
    {
        await using var h = await Harness.StartAsync();
        var first = await h.Service.CreateAsync(Named("same", new Dictionary<string, string> { ["a"] = "1" }), CancellationToken.None);
        var again = await h.Service.CreateAsync(Named("same", new Dictionary<string, string> { ["b"] = "2" }, new Dictionary<string, string> { ["bogus"] = "x" }), CancellationToken.None);
        Assert.Equal(first, again);
        Assert.Equal(["create"], h.Events.Actions("same"));
    }

    [Fact]
    public async Task NamelessVolumesAreAnonymous()
    {
        await using var h = await Harness.StartAsync();
        var v = await h.Service.CreateAsync(new VolumeCreateRequest(), CancellationToken.None);
        Assert.Matches("^[0-9a-f]{64}$", v.Name);
        Assert.True(v.Anonymous);
        Assert.Equal("", v.Labels![VolumeDefaults.AnonymousLabel]);
    }

    [Theory]
    [InlineData("bad/name", null, "create bad/name: \"bad/name\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData("../../etc", null, "create ../../etc: \"../../etc\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData("goodname", "foo", "create goodname: invalid option: \"foo\"")]
    public async Task BadRequestsAreInvalidAndLeaveNothing(string name, string? option, string message)
    {
        await using var h = await Harness.StartAsync();
        var options = option is null ? null : new Dictionary<string, string> { [option] = "x" };
        var e = await Assert.ThrowsAsync<WharfException>(() => h.Service.CreateAsync(Named(name, options: options), CancellationToken.None));
        Assert.Equal((ErrorKind.InvalidArgument, message), (e.Kind, e.Message));
        Assert.Empty(Directory.EnumerateFileSystemEntries(h.Root));
        Assert.Empty(h.Events.Published);
    }

    [Fact]
    public async Task UnknownDriverIsNotFound()
    {
        await using var h = await Harness.StartAsync();
        var e = await Assert.ThrowsAsync<WharfException>(() => h.Service.CreateAsync(new VolumeCreateRequest { Name = "x1", Driver = "nfsplugin" }, CancellationToken.None));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("create x1: error looking up volume plugin nfsplugin: plugin \"nfsplugin\" not found", e.Message);
    }

    [Fact]
    public async Task ReferencedVolumesCannotBeRemoved()
    {
        await using var h = await Harness.StartAsync();
        await h.Service.AcquireAsync(Named("inuse"), "c2", CancellationToken.None);
        h.Service.Reference("inuse", "c1");
        var e = await Assert.ThrowsAsync<WharfException>(() => h.Service.RemoveAsync("inuse", force: true, CancellationToken.None));
        Assert.Equal((ErrorKind.Conflict, "remove inuse: volume is in use - [c1, c2]"), (e.Kind, e.Message));
        Assert.False(await h.Service.RemoveIfUnusedAsync("inuse", CancellationToken.None));
        h.Service.Release("inuse", "c1");
        h.Service.Release("inuse", "c2");
        h.Service.Release("inuse", "never");
        Assert.True(await h.Service.RemoveIfUnusedAsync("inuse", CancellationToken.None));

        await h.Service.RemoveAsync("inuse", force: true, CancellationToken.None);
        var missing = await Assert.ThrowsAsync<WharfException>(() => h.Service.RemoveAsync("inuse", force: false, CancellationToken.None));
        Assert.Equal((ErrorKind.NotFound, "get inuse: no such volume"), (missing.Kind, missing.Message));
        Assert.Throws<WharfException>(() => h.Service.Reference("inuse", "c1"));
    }

    [Fact]
    public async Task ListFilters()
    {
        await using var h = await Harness.StartAsync();
        await h.Service.CreateAsync(Named("web-data", new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" }), CancellationToken.None);
        await h.Service.CreateAsync(Named("db-data", new Dictionary<string, string> { ["app"] = "db" }), CancellationToken.None);
        await h.Service.AcquireAsync(Named("cache"), "c1", CancellationToken.None);

        Assert.Equal(["db-data", "web-data"], Names(h.Service, FilterSet.Of(("name", "data"))));
        Assert.Equal(["web-data"], Names(h.Service, FilterSet.Of(("name", "^w.*a$"))));
        Assert.Equal(["web-data"], Names(h.Service, FilterSet.Of(("label", "app=web"))));
        Assert.Equal(["db-data", "web-data"], Names(h.Service, FilterSet.Of(("label", "app"))));
        Assert.Equal(["db-data", "web-data"], Names(h.Service, FilterSet.Of(("dangling", "true"))));
        Assert.Equal(["cache"], Names(h.Service, FilterSet.Of(("dangling", "0"))));
        Assert.Equal(["cache", "db-data", "web-data"], Names(h.Service, FilterSet.Of(("driver", "local"))));
        Assert.Empty(Names(h.Service, FilterSet.Of(("driver", "other"))));

        Assert.Equal("invalid filter 'bogus'", Assert.Throws<WharfException>(() => h.Service.List(FilterSet.Of(("bogus", "x")))).Message);
        Assert.Equal("invalid filter 'dangling=maybe'", Assert.Throws<WharfException>(() => h.Service.List(FilterSet.Of(("dangling", "maybe")))).Message);
        Assert.Equal("invalid filter 'dangling=true,false'", Assert.Throws<WharfException>(() => h.Service.List(FilterSet.Of(("dangling", "true"), ("dangling", "false")))).Message);
    }

    [Fact]
    public async Task PruneTakesUnusedAnonymousVolumesUnlessAll()
    {
        await using var h = await Harness.StartAsync();
        var anon = await h.Service.CreateAsync(new VolumeCreateRequest(), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Join(anon.Mountpoint, "f"), "12345");
        var usedAnon = await h.Service.AcquireAsync(new VolumeCreateRequest(), "c1", CancellationToken.None);
        await h.Service.CreateAsync(Named("keep", new Dictionary<string, string> { ["keep"] = "yes" }), CancellationToken.None);
        await h.Service.CreateAsync(Named("named"), CancellationToken.None);
        await h.Service.CreateAsync(Named("withopts", options: new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs" }), CancellationToken.None);

        var first = await h.Service.PruneAsync(FilterSet.Empty, CancellationToken.None);
        Assert.Equal([anon.Name], first.Deleted);
        Assert.Equal(5, first.SpaceReclaimed);

        var e = await Assert.ThrowsAsync<WharfException>(() => h.Service.PruneAsync(FilterSet.Of(("all", "maybe")), CancellationToken.None));
        Assert.Equal("invalid filter 'all': strconv.ParseBool: parsing \"maybe\": invalid syntax", e.Message);
        Assert.Equal("invalid filter 'until'", (await Assert.ThrowsAsync<WharfException>(() => h.Service.PruneAsync(FilterSet.Of(("until", "1h")), CancellationToken.None))).Message);

        var all = await h.Service.PruneAsync(FilterSet.Of(("all", "true"), ("label!", "keep=yes")), CancellationToken.None);
        Assert.Equal(["named"], all.Deleted);
        Assert.Equal(new[] { "keep", usedAnon.Name, "withopts" }.Order(StringComparer.Ordinal), Names(h.Service, FilterSet.Empty));
        Assert.Equal(2, h.Events.Published.Count(p => p.Action == "prune"));
        Assert.Equal("5", h.Events.Published.First(p => p.Action == "prune").Attributes["reclaimed"]);
        Assert.Contains("destroy", h.Events.Actions("named"));
    }

    [Fact]
    public async Task UsageCountsHardLinksOnceAndSkipsVolumesWithOptions()
    {
        await using var h = await Harness.StartAsync();
        var v = await h.Service.AcquireAsync(Named("sized"), "c1", CancellationToken.None);
        await File.WriteAllTextAsync(Path.Join(v.Mountpoint, "a"), new string('x', 100));
        Posix.Link(Path.Join(v.Mountpoint, "a"), Path.Join(v.Mountpoint, "b"));
        Directory.CreateDirectory(Path.Join(v.Mountpoint, "sub"));
        await File.WriteAllTextAsync(Path.Join(v.Mountpoint, "sub", "c"), "123");
        await h.Service.CreateAsync(Named("withopts", options: new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs" }), CancellationToken.None);

        var usage = await h.Service.GetUsageAsync(CancellationToken.None);
        var u = Assert.Single(usage);
        Assert.Equal(("sized", 103L, 1), (u.Volume.Name, u.Size, u.RefCount));
    }

    [Fact]
    public async Task SurvivesARestartAndCleansWhatAKilledDaemonLeft()
    {
        await using var h = await Harness.StartAsync();
        var created = await h.Service.CreateAsync(Named("persist", new Dictionary<string, string> { ["a"] = "b" }, new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=1m" }), CancellationToken.None);

        // What a daemon killed in the middle of a create or a remove leaves, and a foreign data dir.
        Directory.CreateDirectory(Path.Join(h.Root, ".tmp-0123", "_data"));
        await File.WriteAllTextAsync(Path.Join(h.Root, ".tmp-0123", "volume.json"), "{\"Name\":\"half\"");
        Directory.CreateDirectory(Path.Join(h.Root, ".trash-4567", "_data", "deep"));
        Directory.CreateDirectory(Path.Join(h.Root, "adopted", "_data"));
        Directory.CreateDirectory(Path.Join(h.Root, "notavolume"));

        await h.RestartAsync();
        Assert.Equal(["adopted", "persist"], Names(h.Service, FilterSet.Empty));
        var loaded = h.Service.Inspect("persist");
        Assert.Equal((created.Mountpoint, created.CreatedAt), (loaded.Mountpoint, loaded.CreatedAt));
        Assert.Equal(created.Labels, loaded.Labels);
        Assert.Equal(created.Options, loaded.Options);
        Assert.False(Directory.Exists(Path.Join(h.Root, ".tmp-0123")));
        Assert.False(Directory.Exists(Path.Join(h.Root, ".trash-4567")));
        Assert.Null(h.Service.Inspect("adopted").Labels);
    }

    [Fact]
    public async Task TmpfsVolumeIsMountedOnlyWhileUsed()
    {
        await using var h = await Harness.StartAsync();
        var v = await h.Service.CreateAsync(Named("scratch", options: new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=1m,mode=0700" }), CancellationToken.None);
        Assert.False(Harness.IsMounted(v.Mountpoint));

        var path = await h.Service.MountAsync("scratch", "c1", CancellationToken.None);
        Assert.Equal(v.Mountpoint, path);
        Assert.True(Harness.IsMounted(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
        await File.WriteAllTextAsync(Path.Join(path, "x"), "tmp");
        await h.Service.MountAsync("scratch", "c2", CancellationToken.None);
        await h.Service.MountAsync("scratch", "c2", CancellationToken.None);

        await h.Service.UnmountAsync("scratch", "c1", CancellationToken.None);
        Assert.True(Harness.IsMounted(path));
        await h.Service.UnmountAsync("scratch", "c2", CancellationToken.None);
        Assert.False(Harness.IsMounted(path));
        Assert.False(File.Exists(Path.Join(path, "x")));
        await h.Service.UnmountAsync("scratch", "c2", CancellationToken.None);
    }

    [Fact]
    public async Task TooSmallTmpfsFailsToPopulateWithAnErrorNotACrash()
    {
        await using var h = await Harness.StartAsync();
        await h.Service.CreateAsync(Named("tiny", options: new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=4k" }), CancellationToken.None);
        var source = Path.Join(h.Dir, "big");
        Directory.CreateDirectory(source);
        await File.WriteAllBytesAsync(Path.Join(source, "blob"), new byte[64 * 1024]);
        var e = await Assert.ThrowsAsync<WharfException>(() => h.Service.PopulateAsync("tiny", source, CancellationToken.None));
        Assert.StartsWith("failed to populate volume", e.Message, StringComparison.Ordinal);
        Assert.False(Harness.IsMounted(h.Service.Inspect("tiny").Mountpoint));
    }

    [Fact]
    public async Task BadDeviceFailsToMountAndStaysUnmounted()
    {
        await using var h = await Harness.StartAsync();
        await h.Service.CreateAsync(Named("broken", options: new Dictionary<string, string> { ["type"] = "none", ["device"] = Path.Join(h.Dir, "missing"), ["o"] = "bind" }), CancellationToken.None);
        var e = await Assert.ThrowsAsync<WharfException>(() => h.Service.MountAsync("broken", "c1", CancellationToken.None));
        Assert.Equal(ErrorKind.Internal, e.Kind);
        Assert.Contains("failed to mount local volume", e.Message, StringComparison.Ordinal);
        Assert.False(Harness.IsMounted(h.Service.Inspect("broken").Mountpoint));
    }

    [Fact]
    public async Task RemovingABindDeviceVolumeNeverTouchesTheDevice()
    {
        await using var h = await Harness.StartAsync();
        var device = Path.Join(h.Dir, "hostdir");
        Directory.CreateDirectory(device);
        await File.WriteAllTextAsync(Path.Join(device, "precious"), "keep me");
        await h.Service.CreateAsync(Named("bound", options: new Dictionary<string, string> { ["type"] = "none", ["device"] = device, ["o"] = "bind" }), CancellationToken.None);
        var path = await h.Service.MountAsync("bound", "c1", CancellationToken.None);
        Assert.Equal("keep me", await File.ReadAllTextAsync(Path.Join(path, "precious")));

        // A daemon killed now leaves the bind mounted; removing after a restart must detach, not delete through it.
        await h.RestartAsync();
        await h.Service.RemoveAsync("bound", force: false, CancellationToken.None);
        Assert.Equal("keep me", await File.ReadAllTextAsync(Path.Join(device, "precious")));
        Assert.False(Directory.Exists(Path.Join(h.Root, "bound")));
    }

    [Fact]
    public async Task AfterARestartOnlyRestoredMountsStay()
    {
        await using var h = await Harness.StartAsync();
        var options = new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs" };
        var kept = await h.Service.CreateAsync(Named("kept", options: options), CancellationToken.None);
        var stale = await h.Service.CreateAsync(Named("stale", options: options), CancellationToken.None);
        await h.Service.MountAsync("kept", "running", CancellationToken.None);
        await h.Service.MountAsync("stale", "gone", CancellationToken.None);
        await File.WriteAllTextAsync(Path.Join(kept.Mountpoint, "state"), "live");

        await h.RestartAsync();
        await h.Service.RestoreMountAsync("kept", "running", CancellationToken.None);
        await h.Service.ReconcileMountsAsync(CancellationToken.None);
        Assert.True(Harness.IsMounted(kept.Mountpoint));
        Assert.Equal("live", await File.ReadAllTextAsync(Path.Join(kept.Mountpoint, "state")));
        Assert.False(Harness.IsMounted(stale.Mountpoint));

        await h.Service.UnmountAsync("kept", "running", CancellationToken.None);
        Assert.False(Harness.IsMounted(kept.Mountpoint));
    }
}
