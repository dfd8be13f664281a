using System.Formats.Tar;
using Wharf.Core.Containers.Files;
using Wharf.Core.Errors;
using Wharf.Linux;
using Wharf.Snapshots.Rootfs;

namespace Wharf.Snapshots.Tests.Rootfs;

/// <summary>
/// A hostile container root (links to "/", up the tree, to host paths, in chains) and hostile
/// tars: every stat, archive and extraction stays inside the root, and the sentinel dir next
/// to it, standing for the host, never changes.
/// </summary>
public sealed class ContainerRootEscapeTests : IDisposable
{
    private readonly TempRoot _t = new();
    private readonly string _rootfs;

    public ContainerRootEscapeTests()
    {
        _rootfs = Path.Join(_t.Root, "rootfs");
        Directory.CreateDirectory(Path.Join(_rootfs, "etc"));
        Directory.CreateDirectory(Path.Join(_rootfs, "d"));
        File.WriteAllText(Path.Join(_rootfs, "etc", "passwd"), "container passwd\n");
        File.WriteAllText(Path.Join(_rootfs, "etc", "shadow"), "container shadow\n");
        Posix.Symlink("/", Path.Join(_rootfs, "evil"));
        Posix.Symlink("../../../../../../../..", Path.Join(_rootfs, "up"));
        Posix.Symlink("chain2", Path.Join(_rootfs, "chain1"));
        Posix.Symlink("/d/../up/evil", Path.Join(_rootfs, "chain2"));
        Posix.Symlink(_t.Sentinel, Path.Join(_rootfs, "tosentinel"));
        Posix.Symlink("../../sentinel", Path.Join(_rootfs, "relsentinel"));
        Posix.Symlink(_t.Sentinel, Path.Join(_rootfs, "d", "hostlink"));
        Posix.Symlink("/a", Path.Join(_rootfs, "loop-b"));
        Posix.Symlink("/loop-b", Path.Join(_rootfs, "a"));
    }

    public void Dispose() => _t.Dispose();

    private ContainerRoot Open() => (ContainerRoot)new RootfsAccess().OpenDirectory(_rootfs, "test");

    private void AssertHostUntouched() => Assert.Equal(_t.SentinelBefore, _t.Fingerprint());

    [Theory]
    [InlineData("/evil/etc/passwd")]
    [InlineData("/up/etc/passwd")]
    [InlineData("/chain1/etc/passwd")]
    [InlineData("/evil/evil/up/../etc/passwd")]
    [InlineData("../../../etc/passwd")]
    public void StatThroughLinksSeesTheContainersFile(string path)
    {
        using var root = Open();
        var st = root.Stat(path);
        Assert.Equal("container passwd\n".Length, st.Size);
    }

    [Theory]
    [InlineData("/tosentinel/file.txt")]
    [InlineData("/relsentinel/file.txt")]
    [InlineData("/d/hostlink/file.txt")]
    public void LinksToHostPathsResolveInsideTheRoot(string path)
    {
        using var root = Open();
        var e = Assert.Throws<WharfException>(() => root.Stat(path));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal($"Could not find the file {path} in container test", e.Message);
    }

    [Fact]
    public void LinkTargetIsTheResolutionInsideTheRoot()
    {
        using var root = Open();
        Assert.Equal("/", root.Stat("/up").LinkTarget);
        Assert.Equal("/", root.Stat("/chain1").LinkTarget);
        Assert.Equal(_t.Sentinel, root.Stat("/tosentinel").LinkTarget);
        Assert.True(root.Stat("/tosentinel").IsSymlink);
    }

    [Fact]
    public void LinkLoopsAreAnError()
    {
        using var root = Open();
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<WharfException>(() => root.Stat("/a/x")).Kind);
    }

    [Fact]
    public async Task ArchivingThroughLinksReadsTheContainersFiles()
    {
        using var root = Open();
        var entries = await ArchiveAsync(root, "/up/etc/");
        Assert.Equal("container passwd\n", entries["etc/passwd"]);
        Assert.Equal("container shadow\n", entries["etc/shadow"]);

        var link = await ArchiveAsync(root, "/tosentinel");
        Assert.Equal(["tosentinel"], link.Keys);
        await Assert.ThrowsAsync<WharfException>(() => ArchiveAsync(root, "/tosentinel/"));
    }

    [Fact]
    public async Task ArchivingTheRootNeverLeavesIt()
    {
        using var root = Open();
        var entries = await ArchiveAsync(root, "/");
        Assert.DoesNotContain(entries.Values, v => v == "sentinel");
        Assert.All(entries.Keys, k => Assert.DoesNotContain("..", k.Split('/')));
        var export = new MemoryStream();
        await root.ExportAsync(export, CancellationToken.None);
        export.Position = 0;
        var names = ReadTar(export).Keys.ToList();
        Assert.Contains("etc/passwd", names);
        Assert.Contains("evil", names);
        Assert.DoesNotContain(names, n => n.Contains("file.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExtractingToALinkToSlashWritesIntoTheContainerRoot()
    {
        using var root = Open();
        await ExtractAsync(root, "/evil", new TarBuilder().File("dropped.txt", "x"));
        Assert.True(File.Exists(Path.Join(_rootfs, "dropped.txt")));
        Assert.False(File.Exists("/dropped.txt"));
        AssertHostUntouched();
    }

    [Fact]
    public async Task ExtractingToALinkToAHostPathFindsNothing()
    {
        using var root = Open();
        var e = await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/tosentinel", new TarBuilder().File("pwned.txt", "x")));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        AssertHostUntouched();
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../escape.txt")]
    [InlineData("../../../../../../../../tmp/escape.txt")]
    public async Task EntriesClimbingOutAreRefused(string name)
    {
        using var root = Open();
        var e = await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/d", new TarBuilder().File(name, "x")));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("is outside of \"/d\"", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(_rootfs, "escape.txt")));
        Assert.False(File.Exists(Path.Join(_t.Root, "escape.txt")));
        AssertHostUntouched();
    }

    [Fact]
    public async Task AbsoluteNamesLandInsideTheDestination()
    {
        using var root = Open();
        await ExtractAsync(root, "/d", new TarBuilder().File("/abs.txt", "x").File("/etc/inside.txt", "y"));
        Assert.True(File.Exists(Path.Join(_rootfs, "d", "abs.txt")));
        Assert.True(File.Exists(Path.Join(_rootfs, "d", "etc", "inside.txt")));
        Assert.False(File.Exists(Path.Join(_rootfs, "etc", "inside.txt")));
    }

    [Fact]
    public async Task ASymlinkThenAFileThroughItStaysInTheDestination()
    {
        using var root = Open();
        var tar = new TarBuilder().Symlink("s", "/").File("s/etc/through.txt", "x")
            .Symlink("h", _t.Sentinel).File("h/pwned.txt", "x");
        await ExtractAsync(root, "/d", tar);
        Assert.True(File.Exists(Path.Join(_rootfs, "d", "etc", "through.txt")));
        Assert.False(File.Exists(Path.Join(_rootfs, "etc", "through.txt")));
        Assert.True(File.Exists(Path.Join(_rootfs, "d", _t.Sentinel.TrimStart('/'), "pwned.txt")));
        AssertHostUntouched();
    }

    [Fact]
    public async Task ChainsOfLinksInTheTarStayInTheDestination()
    {
        using var root = Open();
        var tar = new TarBuilder().Symlink("l1", "l2").Symlink("l2", "l3").Symlink("l3", "/").File("l1/chained.txt", "x");
        await ExtractAsync(root, "/d", tar);
        Assert.True(File.Exists(Path.Join(_rootfs, "d", "chained.txt")));
        AssertHostUntouched();
    }

    [Fact]
    public async Task ExistingLinksToTheHostAreResolvedInsideTheDestination()
    {
        using var root = Open();
        await ExtractAsync(root, "/d", new TarBuilder().File("hostlink/x.txt", "x"));
        Assert.True(File.Exists(Path.Join(_rootfs, "d", _t.Sentinel.TrimStart('/'), "x.txt")));
        AssertHostUntouched();
    }

    [Fact]
    public async Task RelativeSymlinksPointingOutAreRefused()
    {
        using var root = Open();
        var e = await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/d", new TarBuilder().Symlink("out", "../../../../etc")));
        Assert.Contains("invalid symlink \"/d/out\" -> \"../../../../etc\"", e.Message, StringComparison.Ordinal);
        Assert.False(Posix.TryLStat(Path.Join(_rootfs, "d", "out"), out _));
    }

    [Fact]
    public async Task HardLinksOutsideTheDestinationAreRefused()
    {
        using var root = Open();
        var before = (Posix.LStat("/etc/passwd").LinkCount, Posix.TryLStat("/etc/shadow", out var shadow) ? shadow.LinkCount : 0);
        var e = await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/d", new TarBuilder().HardLink("hl", "../../etc/passwd")));
        Assert.Contains("invalid hardlink", e.Message, StringComparison.Ordinal);

        // An absolute target is taken inside the destination, where there is no such file.
        await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/d", new TarBuilder().HardLink("hl", "/etc/shadow")));
        await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/d", new TarBuilder().HardLink("hl", "../../../../../../etc/shadow")));
        await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/d", new TarBuilder().HardLink("hl", "hostlink/file.txt")));
        Assert.Equal(before, (Posix.LStat("/etc/passwd").LinkCount, Posix.TryLStat("/etc/shadow", out var after) ? after.LinkCount : 0));
        Assert.False(Posix.TryLStat(Path.Join(_rootfs, "d", "hl"), out _));
        AssertHostUntouched();
    }

    [Fact]
    public async Task HardLinksInsideTheDestinationWork()
    {
        using var root = Open();
        await ExtractAsync(root, "/", new TarBuilder().HardLink("etc/shadow2", "/etc/shadow").File("a.txt", "a").HardLink("b.txt", "a.txt"));
        Assert.Equal(Posix.LStat(Path.Join(_rootfs, "etc", "shadow")).Inode, Posix.LStat(Path.Join(_rootfs, "etc", "shadow2")).Inode);
        Assert.Equal(2u, Posix.LStat(Path.Join(_rootfs, "b.txt")).LinkCount);
    }

    [Fact]
    public async Task DeviceNodesAreRefused()
    {
        using var root = Open();
        var e = await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/d", new TarBuilder().CharDevice("mem", 1, 1)));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.False(Posix.TryLStat(Path.Join(_rootfs, "d", "mem"), out _));
    }

    [Fact]
    public async Task ExtractionPointMustBeAnExistingDirectory()
    {
        using var root = Open();
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/nope", new TarBuilder().File("x", "x")))).Kind);
        var e = await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/etc/passwd", new TarBuilder().File("x", "x")));
        Assert.Equal("extraction point is not a directory", e.Message);
    }

    [Fact]
    public async Task NoOverwriteDirNonDirKeepsDirectories()
    {
        using var root = Open();
        var options = new ArchiveExtractOptions { NoOverwriteDirNonDir = true };
        var e = await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/", new TarBuilder().File("d", "file"), options));
        Assert.Equal("Error processing tar file: cannot overwrite directory \"/d\" with non-directory \"/\"", e.Message);
        Assert.True(Directory.Exists(Path.Join(_rootfs, "d")));

        // Without the option a file replaces a symlink to the host, not what it points to.
        await ExtractAsync(root, "/", new TarBuilder().File("tosentinel", "replaced"));
        Assert.Equal("replaced", File.ReadAllText(Path.Join(_rootfs, "tosentinel")));
        AssertHostUntouched();
    }

    [Fact]
    public async Task OwnersModesAndTimesComeFromTheTarOrTheOption()
    {
        using var root = Open();
        await ExtractAsync(root, "/d", new TarBuilder().Dir("sub", "750", 7, 8).File("sub/f", "x", "4755", 1234, 5678));
        var f = Posix.LStat(Path.Join(_rootfs, "d", "sub", "f"));
        Assert.Equal((1234u, 5678u, 0x9EDu), (f.Uid, f.Gid, f.Permissions));
        Assert.Equal(TarBuilder.Time.ToUnixTimeSeconds(), f.ModifySeconds);
        var dir = Posix.LStat(Path.Join(_rootfs, "d", "sub"));
        Assert.Equal((7u, 8u, 0x1E8u), (dir.Uid, dir.Gid, dir.Permissions));
        Assert.Equal(TarBuilder.Time.ToUnixTimeSeconds(), dir.ModifySeconds);

        await ExtractAsync(root, "/d", new TarBuilder().File("owned", "x", "644", 1, 1), new ArchiveExtractOptions { Owner = (42, 43) });
        var owned = Posix.LStat(Path.Join(_rootfs, "d", "owned"));
        Assert.Equal((42u, 43u), (owned.Uid, owned.Gid));
    }

    [Fact]
    public void LookupUserReadsTheContainersDatabases()
    {
        File.WriteAllText(Path.Join(_rootfs, "etc", "passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
        File.WriteAllText(Path.Join(_rootfs, "etc", "group"), "root:x:0:\nstaff:x:50:\n");
        using var root = Open();
        Assert.Equal((1000u, 1001u), root.LookupUser("app"));
        Assert.Equal((1000u, 50u), root.LookupUser("app:staff"));
        Assert.Equal((7u, 9u), root.LookupUser("7:9"));
        Assert.Equal((1000u, 1001u), root.LookupUser("1000"));
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<WharfException>(() => root.LookupUser("nobody-here")).Kind);
    }

    [Fact]
    public async Task BindsAreMountedOnTheirDestinationsInsideTheRootOnly()
    {
        var volume = Path.Join(_t.Root, "volume");
        var readOnly = Path.Join(_t.Root, "readonly");
        Directory.CreateDirectory(volume);
        Directory.CreateDirectory(readOnly);
        File.WriteAllText(Path.Join(volume, "in-volume.txt"), "volume");
        Directory.CreateDirectory(Path.Join(_rootfs, "data"));
        Directory.CreateDirectory(Path.Join(_rootfs, "ro"));
        try
        {
            using var root = new RootfsAccess().OpenDirectory(_rootfs, "test",
            [
                new() { Source = volume, Destination = "/data" },
                new() { Source = readOnly, Destination = "/ro", Writable = false },

                // A destination that is a link to a host directory: resolved inside the root,
                // where it does not exist, so nothing is mounted on the host directory.
                new() { Source = volume, Destination = "/d/hostlink" },
                new() { Source = volume, Destination = "/missing" },
            ]);
            Assert.Equal("volume".Length, root.Stat("/data/in-volume.txt").Size);
            await ExtractAsync(root, "/data", new TarBuilder().File("written.txt", "x"));
            Assert.True(File.Exists(Path.Join(volume, "written.txt")));
            var e = await Assert.ThrowsAsync<WharfException>(() => ExtractAsync(root, "/ro", new TarBuilder().File("x.txt", "x")));
            Assert.Equal((ErrorKind.Forbidden, "mounted volume is marked read-only"), (e.Kind, e.Message));
            Assert.Empty(Directory.EnumerateFileSystemEntries(readOnly));
            Assert.DoesNotContain(MountTable.ListMountPoints(), m => m == _t.Sentinel);
            AssertHostUntouched();
        }
        finally
        {
            MountTable.UnmountAllUnder(_rootfs);
        }

        Assert.DoesNotContain(MountTable.ListMountPoints(), m => m.StartsWith(_t.Base, StringComparison.Ordinal));
    }

    [Fact]
    public void ProcessRootsAreCheckedAgainstTheirCgroup()
    {
        var access = new RootfsAccess();
        Assert.Null(access.TryOpenProcessRoot(Environment.ProcessId, "no-such-container-" + Guid.NewGuid().ToString("N"), "x"));
        Assert.Null(access.TryOpenProcessRoot(int.MaxValue - 1, "/", "x"));
        using var own = access.TryOpenProcessRoot(Environment.ProcessId, "/", "x");
        Assert.NotNull(own);
    }

    private static async Task ExtractAsync(IContainerRoot root, string path, TarBuilder tar, ArchiveExtractOptions? options = null)
        => await root.ExtractAsync(path, tar.ToStream(), options ?? new ArchiveExtractOptions(), CancellationToken.None);

    private static async Task<Dictionary<string, string>> ArchiveAsync(IContainerRoot root, string path)
    {
        var ms = new MemoryStream();
        await root.WriteArchiveAsync(path, ms, CancellationToken.None);
        ms.Position = 0;
        return ReadTar(ms);
    }

    private static Dictionary<string, string> ReadTar(Stream tar)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } e)
        {
            result[e.Name.TrimEnd('/')] = e.DataStream is { } d ? new StreamReader(d).ReadToEnd() : e.LinkName;
        }

        return result;
    }
}
