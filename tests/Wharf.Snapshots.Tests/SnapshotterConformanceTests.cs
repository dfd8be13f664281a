using System.Formats.Tar;
using System.Text;
using Wharf.Core.Errors;
using Wharf.Core.Snapshots;
using Wharf.Linux;

namespace Wharf.Snapshots.Tests;

/// <summary>The behaviour every <see cref="ISnapshotter"/> must share; run once per implementation.</summary>
public abstract class SnapshotterConformanceTests : IDisposable
{
    private const uint RootUid = 0;

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    private protected SnapshotterConformanceTests()
    {
        Temp = new TempRoot();
        Snapshotter = CreateSnapshotter(Temp.Root);
    }

    private protected TempRoot Temp { get; }

    private protected ISnapshotter Snapshotter { get; }

    // xunit 2 has no per-test token; a timeout keeps a hung apply from hanging the run.
    private protected CancellationToken Ct => _timeout.Token;

    public void Dispose()
    {
        _timeout.Dispose();
        Temp.Dispose();
    }

    private protected abstract ISnapshotter CreateSnapshotter(string root);

    /// <summary>The directory holding the snapshot's own files (diff or full tree).</summary>
    private protected abstract string TreeOf(string key);

    /// <summary>The merged view of the snapshot and its ancestors.</summary>
    private protected abstract SnapshotView OpenView(string key);

    private protected string StoreDirectory => Path.Join(Temp.Root, Snapshotter.Name);

    [Theory]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    [InlineData(TarEntryFormat.Ustar)]
    public async Task AppliesFilesDirsLinksAndLongNames(TarEntryFormat format)
    {
        var longDir = string.Join('/', Enumerable.Repeat("d0123456789", 6));
        var longName = longDir + "/" + new string('f', format == TarEntryFormat.Ustar ? 90 : 150);
        var tar = new TarBuilder(format)
            .Dir("etc/", "755")
            .File("etc/hello.txt", "hello", "640", uid: 1000, gid: 1001)
            .Symlink("etc/link", "hello.txt")
            .Symlink("abs", "/etc/passwd")
            .HardLink("etc/hard", "etc/hello.txt")
            .Fifo("pipe")
            .Dir(longDir)
            .File(longName, "long")
            .ToStream();
        var key = Keys.Of("base-" + format);

        var size = await Snapshotter.ApplyLayerAsync(key, null, tar, Ct);

        Assert.Equal(9, size);
        Assert.Equal(tar.Length, tar.Position);
        var tree = TreeOf(key);
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Join(tree, "etc/hello.txt"), Ct));
        var st = Posix.LStat(Path.Join(tree, "etc/hello.txt"));
        Assert.Equal((1000u, 1001u, Convert.ToUInt32("640", 8)), (st.Uid, st.Gid, st.Permissions));
        Assert.Equal(2u, st.LinkCount);
        Assert.Equal(st.Inode, Posix.LStat(Path.Join(tree, "etc/hard")).Inode);
        Assert.Equal("hello.txt", Posix.ReadLink(Path.Join(tree, "etc/link")));
        Assert.Equal("/etc/passwd", Posix.ReadLink(Path.Join(tree, "abs")));
        Assert.Equal(FileKind.Fifo, Posix.LStat(Path.Join(tree, "pipe")).Kind);
        Assert.Equal("long", await File.ReadAllTextAsync(Path.Join(tree, longName), Ct));
        Assert.True(Snapshotter.Exists(key));
        Assert.Null(Snapshotter.GetParent(key));
        Assert.Equal(9, Snapshotter.GetSize(key));
        Assert.Equal([key], Snapshotter.List());
        Assert.Empty(Temp.TempDirs());
    }

    [Fact]
    public async Task PreservesSpecialModesTimesAndPaxXattrs()
    {
        var tar = new TarBuilder()
            .Dir("tmp", "1777")
            .Dir("bin", "755")
            .File("bin/su", "x", "4755", uid: 0, gid: 0)
            .File("bin/sg", "x", "2755", uid: 1000, gid: 50)
            .File("bin/attr", "x", "644", pax: [new("SCHILY.xattr.user.wharf", "yes"), new("SCHILY.xattr.trusted.overlay.redirect", "/etc")])
            .Symlink("bin/sh", "busybox")
            .ToStream();
        var key = Keys.Of("modes");

        await Snapshotter.ApplyLayerAsync(key, null, tar, Ct);

        var tree = TreeOf(key);
        Assert.Equal(Convert.ToUInt32("1777", 8), Posix.LStat(Path.Join(tree, "tmp")).Permissions);
        Assert.Equal(Convert.ToUInt32("4755", 8), Posix.LStat(Path.Join(tree, "bin/su")).Permissions);
        var sg = Posix.LStat(Path.Join(tree, "bin/sg"));
        Assert.Equal((Convert.ToUInt32("2755", 8), 1000u, 50u), (sg.Permissions, sg.Uid, sg.Gid));
        Assert.Equal("yes"u8.ToArray(), Posix.LGetXattr(Path.Join(tree, "bin/attr"), "user.wharf"));
        Assert.Null(Posix.LGetXattr(Path.Join(tree, "bin/attr"), "trusted.overlay.redirect"));
        var expected = TarBuilder.Time.ToUnixTimeSeconds();
        foreach (var path in new[] { "tmp", "bin", "bin/su", "bin/sh" })
        {
            Assert.Equal(expected, Posix.LStat(Path.Join(tree, path)).ModifySeconds);
        }

        Assert.Equal(RootUid, Posix.LStat(Path.Join(tree, "bin/sh")).Uid);
    }

    [Fact]
    public async Task StackedLayersHonourWhiteoutsAndOpaqueDirectories()
    {
        var lower = new TarBuilder()
            .Dir("a").File("a/keep", "k").File("a/gone", "g")
            .Dir("a/gonedir").File("a/gonedir/f", "f")
            .Dir("opq").File("opq/old", "o").Dir("opq/sub").File("opq/sub/old2", "o")
            .Dir("late").File("late/old", "o")
            .ToStream();
        var upper = new TarBuilder()
            .Dir("a").Whiteout("a", "gone").Whiteout("a", "gonedir")
            .Dir("opq").Opaque("opq").File("opq/new", "n")
            .Dir("late").File("late/new", "n").Opaque("late")
            .File("top", "t")
            .ToStream();
        var bottom = Keys.Of("bottom");
        var top = Keys.Of("top");

        await Snapshotter.ApplyLayerAsync(bottom, null, lower, Ct);
        var size = await Snapshotter.ApplyLayerAsync(top, bottom, upper, Ct);

        Assert.Equal(3, size);
        Assert.Equal(bottom, Snapshotter.GetParent(top));
        using var view = OpenView(top);
        string[] present = ["a/keep", "opq/new", "late/new", "top"];
        string[] absent = ["a/gone", "a/gonedir", "opq/old", "opq/sub", "late/old"];
        Assert.All(present, p => Assert.True(File.Exists(Path.Join(view.Path, p)), p + " should be visible"));
        Assert.All(absent, p => Assert.False(Posix.TryLStat(Path.Join(view.Path, p), out _), p + " should be hidden"));

        // The lower snapshot itself is unchanged.
        using var lowerView = OpenView(bottom);
        Assert.True(File.Exists(Path.Join(lowerView.Path, "a/gone")));
        Assert.True(File.Exists(Path.Join(lowerView.Path, "opq/sub/old2")));
    }

    public static TheoryData<string> BadLayers => [.. BadLayerCases.Keys];

    private static readonly Dictionary<string, Func<TempRoot, byte[]>> BadLayerCases = new()
    {
        ["dotdot"] = _ => new TarBuilder().File("../x", "x").ToArray(),
        ["dotdot-to-sentinel"] = _ => new TarBuilder().File("a/../../../../../sentinel/pwned", "x").ToArray(),
        ["absolute"] = _ => new TarBuilder().File("/etc/x", "x").ToArray(),
        ["symlink-to-root"] = t => new TarBuilder().Symlink("evil", "/").File("evil" + t.Sentinel + "/pwned", "x").ToArray(),
        ["symlink-to-sentinel"] = t => new TarBuilder().Symlink("evil", t.Sentinel).File("evil/pwned", "x").ToArray(),
        ["symlink-dir-then-dir"] = t => new TarBuilder().Symlink("evil", t.Sentinel).Dir("evil/sub").ToArray(),
        ["symlink-whiteout"] = t => new TarBuilder().Symlink("evil", t.Sentinel).Whiteout("evil", "file.txt").ToArray(),
        ["symlink-opaque"] = t => new TarBuilder().Symlink("evil", t.Sentinel).Opaque("evil").ToArray(),
        ["hardlink-outside"] = _ => new TarBuilder().File("a", "a").HardLink("b", "../../outside").ToArray(),
        ["hardlink-absolute"] = t => new TarBuilder().HardLink("b", t.Sentinel + "/file.txt").ToArray(),
        ["hardlink-through-symlink"] = t => new TarBuilder().Symlink("evil", t.Sentinel).HardLink("b", "evil/file.txt").ToArray(),
        ["hardlink-missing"] = _ => new TarBuilder().HardLink("b", "nope").ToArray(),
        ["char-device"] = _ => new TarBuilder().File("ok", "fine").CharDevice("dev/null", 1, 3).ToArray(),
        ["name-too-long"] = _ => new TarBuilder().File(string.Join('/', Enumerable.Repeat(new string('n', 200), 22)), "x").ToArray(),
        ["truncated-data"] = _ => Truncate(new TarBuilder().File("big", new string('b', 10000)).ToArray(), 2000),
        ["truncated-header"] = _ => Truncate(new TarBuilder().File("a", "a").File("b", "b").ToArray(), 1024 + 300),
        ["random-bytes"] = _ => RandomBytes(),
    };

    // The reason each case must be rejected for, so a case cannot pass by failing for another reason.
    private static readonly Dictionary<string, string> BadLayerReasons = new()
    {
        ["dotdot"] = "escapes the layer root",
        ["dotdot-to-sentinel"] = "escapes the layer root",
        ["absolute"] = "is an absolute path",
        ["symlink-to-root"] = "through symlink \"evil\"",
        ["symlink-to-sentinel"] = "through symlink \"evil\"",
        ["symlink-dir-then-dir"] = "through symlink \"evil\"",
        ["symlink-whiteout"] = "through symlink \"evil\"",
        ["symlink-opaque"] = "through symlink \"evil\"",
        ["hardlink-outside"] = "hard link \"b\" target \"../../outside\" escapes the layer root",
        ["hardlink-absolute"] = "is an absolute path",
        ["hardlink-through-symlink"] = "does not resolve inside the layer",
        ["hardlink-missing"] = "does not exist",
        ["char-device"] = "\"dev/null\" is a device node",
        ["name-too-long"] = "longer than 4096 bytes",
        ["truncated-data"] = "unexpected EOF in \"big\"",
        ["truncated-header"] = "unexpected EOF",
        ["random-bytes"] = "invalid layer tar",
    };

    [Theory]
    [MemberData(nameof(BadLayers))]
    public async Task RejectsBadLayersLeavingNothingBehind(string name)
    {
        var tar = BadLayerCases[name](Temp);
        var key = Keys.Of("bad-" + name);

        var e = await Assert.ThrowsAsync<WharfException>(() => Snapshotter.ApplyLayerAsync(key, null, new MemoryStream(tar), Ct));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(BadLayerReasons[name], e.Message, StringComparison.Ordinal);
        Assert.False(Snapshotter.Exists(key));
        Assert.Empty(Snapshotter.List());
        Assert.Empty(Temp.TempDirs());
        Assert.Empty(Directory.EnumerateFileSystemEntries(StoreDirectory, "*", new EnumerationOptions { AttributesToSkip = 0 }));
        Assert.Equal(Temp.SentinelBefore, Temp.Fingerprint());
        Assert.False(File.Exists(Path.Join(Temp.Root, "x")));
    }

    [Fact]
    public async Task RejectsDeviceNamingTheEntry()
    {
        var tar = new TarBuilder().CharDevice("dev/null", 1, 3).ToStream();

        var e = await Assert.ThrowsAsync<WharfException>(() => Snapshotter.ApplyLayerAsync(Keys.Of("dev"), null, tar, Ct));

        Assert.Contains("dev/null", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("sha512:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("../../etc")]
    [InlineData("sha256:../../../../0000000000000000000000000000000000000000000000000000")]
    public async Task RejectsInvalidKeys(string key)
    {
        var e = await Assert.ThrowsAsync<WharfException>(() => Snapshotter.ApplyLayerAsync(key, null, new TarBuilder().ToStream(), Ct));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<WharfException>(() => Snapshotter.Exists(key)).Kind);
    }

    [Fact]
    public async Task MissingParentOrKeyIsNotFound()
    {
        var e = await Assert.ThrowsAsync<WharfException>(() => Snapshotter.ApplyLayerAsync(Keys.Of("child"), Keys.Of("nope"), new TarBuilder().ToStream(), Ct));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<WharfException>(() => Snapshotter.GetParent(Keys.Of("nope"))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<WharfException>(() => Snapshotter.RemoveAsync(Keys.Of("nope"), Ct))).Kind);
    }

    [Fact]
    public async Task ReapplyingAnExistingKeyReturnsItsSizeWithoutReading()
    {
        var key = Keys.Of("idem");
        await Snapshotter.ApplyLayerAsync(key, null, new TarBuilder().File("f", "12345").ToStream(), Ct);
        var garbage = new MemoryStream(RandomBytes());

        var size = await Snapshotter.ApplyLayerAsync(key, null, garbage, Ct);

        Assert.Equal(5, size);
        Assert.Equal(0, garbage.Position);
        Assert.Equal("12345", await File.ReadAllTextAsync(Path.Join(TreeOf(key), "f"), Ct));
    }

    [Fact]
    public async Task RemoveRefusesAParentAndThenSucceeds()
    {
        var parent = Keys.Of("p");
        var child = Keys.Of("c");
        await Snapshotter.ApplyLayerAsync(parent, null, new TarBuilder().File("f", "x").ToStream(), Ct);
        await Snapshotter.ApplyLayerAsync(child, parent, new TarBuilder().File("g", "y").ToStream(), Ct);

        var e = await Assert.ThrowsAsync<WharfException>(() => Snapshotter.RemoveAsync(parent, Ct));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.True(Snapshotter.Exists(parent));

        await Snapshotter.RemoveAsync(child, Ct);
        await Snapshotter.RemoveAsync(parent, Ct);
        Assert.Empty(Snapshotter.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(StoreDirectory, "*", new EnumerationOptions { AttributesToSkip = 0 }));
    }

    [Fact]
    public async Task RecoverDeletesLeftoverTempDirsOnly()
    {
        var key = Keys.Of("kept");
        await Snapshotter.ApplyLayerAsync(key, null, new TarBuilder().File("f", "x").ToStream(), Ct);
        var leftover = Path.Join(StoreDirectory, ".tmp-crashed");
        Directory.CreateDirectory(Path.Join(leftover, "diff/deep"));
        await File.WriteAllTextAsync(Path.Join(leftover, "diff/deep/file"), "x", Ct);
        File.CreateSymbolicLink(Path.Join(leftover, "escape"), Temp.Sentinel);

        await Snapshotter.RecoverAsync(Ct);

        Assert.False(Directory.Exists(leftover));
        Assert.True(Snapshotter.Exists(key));
        Assert.Equal(Temp.SentinelBefore, Temp.Fingerprint());
    }

    [Fact]
    public async Task DrainsBytesAfterTheEndOfArchive()
    {
        var tar = new TarBuilder().File("f", "x").ToArray();
        var padded = tar.Concat(new byte[10240]).Concat(Encoding.ASCII.GetBytes("trailing garbage")).ToArray();
        var stream = new MemoryStream(padded);

        await Snapshotter.ApplyLayerAsync(Keys.Of("drain"), null, stream, Ct);

        Assert.Equal(padded.Length, stream.Position);
    }

    [Fact]
    public async Task LaterEntriesReplaceEarlierOnesWithoutFollowingLinks()
    {
        var tar = new TarBuilder()
            .Symlink("x", Temp.Sentinel + "/file.txt")
            .File("x", "replaced")
            .Dir("d").File("d/f", "1")
            .File("d", "now a file")
            .File("dup", "first").File("dup", "second!")
            .ToStream();
        var key = Keys.Of("replace");

        var size = await Snapshotter.ApplyLayerAsync(key, null, tar, Ct);

        var tree = TreeOf(key);
        Assert.Equal("replaced", await File.ReadAllTextAsync(Path.Join(tree, "x"), Ct));
        Assert.Equal("now a file", await File.ReadAllTextAsync(Path.Join(tree, "d"), Ct));
        Assert.Equal(8 + 10 + 7, size);
        Assert.Equal(Temp.SentinelBefore, Temp.Fingerprint());
    }

    [Fact]
    public async Task RemoveUnmountsBeforeDeletingSoMountedFilesSurvive()
    {
        var key = Keys.Of("mounted");
        await Snapshotter.ApplyLayerAsync(key, null, new TarBuilder().Dir("mnt").ToStream(), Ct);
        var mountPoint = Path.Join(TreeOf(key), "mnt");
        Posix.Mount(Temp.Sentinel, mountPoint, null, MountFlags.Bind, null);

        await Snapshotter.RemoveAsync(key, Ct);

        Assert.False(Snapshotter.Exists(key));
        Assert.Equal(Temp.SentinelBefore, Temp.Fingerprint());
        Assert.DoesNotContain(MountTable.ListMountPoints(), m => m.StartsWith(Temp.Root, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConcurrentAppliesOfOneKeyBothSucceed()
    {
        var key = Keys.Of("race");
        var tars = Enumerable.Range(0, 4).Select(_ => new TarBuilder().File("f", "abc").Dir("d").File("d/g", "de").ToStream()).ToList();

        var sizes = await Task.WhenAll(tars.Select(t => Task.Run(() => Snapshotter.ApplyLayerAsync(key, null, t, Ct), Ct)));

        Assert.All(sizes, s => Assert.Equal(5, s));
        Assert.Equal([key], Snapshotter.List());
        Assert.Empty(Temp.TempDirs());
    }

    private static byte[] Truncate(byte[] data, int length) => data[..length];

    private static byte[] RandomBytes()
    {
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
