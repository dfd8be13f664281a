using System.Formats.Tar;
using Wharf.Build.Parsing;
using Wharf.Core.Build;
using Wharf.Core.Errors;

namespace Wharf.Build.Tests;

public sealed class BuilderLogicTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wharf-build-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MemoryStream Tar(Action<TarWriter> write)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(w);
        }

        ms.Position = 0;
        return ms;
    }

    [Fact]
    public void NeededStagesFollowFromAndCopyFromOnly()
    {
        var df = DockerfileParser.Parse("FROM busybox AS a\nFROM busybox AS b\nFROM a AS c\nCOPY --from=1 /x /x\nFROM busybox AS d\nFROM c\n");
        Assert.Equal([0, 1, 2, 4], BuildService.NeededStages(df, df.Stages[4]));
        Assert.Equal([1], BuildService.NeededStages(df, df.Stages[1]));
        Assert.Equal([3], BuildService.NeededStages(df, df.Stages[3]));
    }

    [Theory]
    [InlineData("a/../../b")]
    [InlineData("../x")]
    public void ContextEntriesMayNotLeaveTheRoot(string name)
        => Assert.Throws<WharfException>(() => ContextDir.CleanEntryName(name));

    [Theory]
    [InlineData("./a/./b/", "a/b")]
    [InlineData("/abs/x", "abs/x")]
    [InlineData("a/../b", "b")]
    [InlineData("./", null)]
    public void ContextEntryNamesAreCleaned(string name, string? expected)
        => Assert.Equal(expected, ContextDir.CleanEntryName(name));

    [Fact]
    public async Task SymlinksResolveInsideTheContextOnly()
    {
        var tar = Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "dir/"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "dir/f") { DataStream = new MemoryStream("hi"u8.ToArray()) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "abs") { LinkName = "/dir" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "up") { LinkName = "../../../dir/f" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "host") { LinkName = "/etc" });
        });
        using var ctx = await ContextDir.ExtractAsync(tar, Path.Combine(_dir, "c"), CancellationToken.None);
        Assert.Equal("dir/f", ctx.Resolve("abs/f"));
        Assert.Equal("dir/f", ctx.Resolve("up"));
        Assert.Equal("etc/passwd", ctx.Resolve("host/passwd"));
        Assert.False(File.Exists(ctx.FullPath(ctx.Resolve("host/passwd"))));
        Assert.Equal("up", ctx.Resolve("up", followFinal: false));
    }

    [Fact]
    public async Task EntriesThroughASymlinkAreRejected()
    {
        var tar = Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = "/tmp" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "link/evil") { DataStream = new MemoryStream("x"u8.ToArray()) });
        });
        var e = await Assert.ThrowsAsync<WharfException>(() => ContextDir.ExtractAsync(tar, Path.Combine(_dir, "s"), CancellationToken.None));
        Assert.Contains("through the symlink", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists("/tmp/evil"));
    }

    [Fact]
    public async Task CopyChecksumFollowsContentNotTime()
    {
        var root = Path.Combine(_dir, "k");
        using var ctx = ContextDir.Empty(root);
        Directory.CreateDirectory(Path.Combine(root, "src"));
        await File.WriteAllTextAsync(Path.Combine(root, "src", "a.txt"), "one");
        await File.WriteAllTextAsync(Path.Combine(root, "src", "b.log"), "log");
        var first = CopyPlan.Create(ctx, ["src"], [], "COPY");
        File.SetLastWriteTimeUtc(Path.Combine(root, "src", "a.txt"), DateTime.UnixEpoch);
        Assert.Equal(first.Checksum, CopyPlan.Create(ctx, ["src"], [], "COPY").Checksum);
        Assert.Equal("dir", first.Kind);
        await File.WriteAllTextAsync(Path.Combine(root, "src", "a.txt"), "two");
        Assert.NotEqual(first.Checksum, CopyPlan.Create(ctx, ["src"], [], "COPY").Checksum);
        Assert.NotEqual(CopyPlan.Create(ctx, ["src"], [], "COPY").Checksum, CopyPlan.Create(ctx, ["src"], ["*.log"], "COPY").Checksum);
        Assert.Equal(["src/a.txt", "src/b.log"], CopyPlan.Create(ctx, ["src/*"], [], "COPY").Sources);
        Assert.Throws<WharfException>(() => CopyPlan.Create(ctx, ["nope/*"], [], "COPY"));
        Assert.Throws<WharfException>(() => CopyPlan.Create(ctx, ["../x"], [], "COPY"));
    }

    [Fact]
    public async Task ParallelStageOutputKeepsFileOrder()
    {
        var seen = new List<string>();
        var output = new OrderedOutput(o => { seen.Add(o.Stream!); return ValueTask.CompletedTask; }, [0, 1, 3]);
        await output.WriteAsync(1, new BuildOutput("b1"));
        await output.WriteAsync(0, new BuildOutput("a1"));
        await output.WriteAsync(3, new BuildOutput("d1"));
        await output.CompleteAsync(1);
        await output.WriteAsync(0, new BuildOutput("a2"));
        await output.CompleteAsync(0);
        await output.WriteAsync(3, new BuildOutput("d2"));
        Assert.Equal(["a1", "a2", "b1", "d1", "d2"], seen);
    }

    [Theory]
    [InlineData("30s", 30_000_000_000L)]
    [InlineData("1m30s", 90_000_000_000L)]
    [InlineData("1.5h", 5_400_000_000_000L)]
    [InlineData("250ms", 250_000_000L)]
    [InlineData("0", 0L)]
    public void GoDurations(string text, long ns) => Assert.Equal(ns, StageRunner.ParseGoDuration(text));

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("5x")]
    public void BadGoDurations(string text) => Assert.Null(StageRunner.ParseGoDuration(text));

    [Fact]
    public void HistoryQuotingMatchesGo()
        => Assert.Equal("[\"cat\" \"/a b\" \"q\\\"\"]", StageRunner.GoQuoted(["cat", "/a b", "q\""]));

    [Theory]
    [InlineData("/app", "x", "/app/x")]
    [InlineData("", "x/../y", "/y")]
    [InlineData("/a", "/abs/", "/abs")]
    public void WorkdirJoin(string workdir, string path, string expected) => Assert.Equal(expected, StageRunner.JoinWorkdir(workdir, path));

    [Fact]
    public void ScratchHelpersNameEveryDirAndOnlyNumericOwners()
    {
        Assert.Equal(["a", "a/b", "a/b/c"], StageRunner.AllDirs("/a/b/c"));
        Assert.Empty(StageRunner.AllDirs("/"));
        Assert.Equal((5, 5), StageRunner.ScratchOwner("5"));
        Assert.Equal((5, 6), StageRunner.ScratchOwner("5:6"));
        Assert.Null(StageRunner.ScratchOwner(null));
        Assert.Contains("no such user: bob", Assert.Throws<WharfException>(() => StageRunner.ScratchOwner("bob:5")).Message, StringComparison.Ordinal);
        Assert.Contains("no such group: g", Assert.Throws<WharfException>(() => StageRunner.ScratchOwner("5:g")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CacheStepSizeIsWhatTheStepAddsOverItsParent()
    {
        static Core.Images.ImageRecord Image(int layers, long size, Oci.Digest? parent)
        {
            var diffIds = Enumerable.Range(0, layers).Select(i => Oci.Digest.Parse("sha256:" + new string((char)('a' + i), 64))).ToList();
            return new Core.Images.ImageRecord
            {
                Id = Oci.Digest.Parse("sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(layers * 1000 + size)))),
                Config = new Oci.Image.ImageConfig(),
                DiffIds = diffIds,
                ChainIds = Oci.Digest.ChainIds(diffIds),
                Size = size,
                Parent = parent,
            };
        }

        var base1 = Image(1, 1000, null);
        var run = Image(2, 1500, base1.Id);
        var meta = Image(2, 1500, run.Id);
        var scratch = Image(1, 300, null);
        Assert.Equal(1000, BuildService.OwnSize(base1, null));
        Assert.Equal(500, BuildService.OwnSize(run, base1));
        Assert.Equal(0, BuildService.OwnSize(meta, run));
        Assert.Equal(300, BuildService.OwnSize(scratch, null));
        Assert.Equal(0, BuildService.OwnSize(meta, null));
    }

    [Fact]
    public async Task ArchivesOnAnEmptyRootLandBelowTheDestination()
    {
        var path = Path.Combine(_dir, "a.tar.gz");
        using (var gz = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
        {
            using var w = new TarWriter(gz, TarEntryFormat.Pax, leaveOpen: true);
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/f") { DataStream = new MemoryStream("data"u8.ToArray()) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/l") { LinkName = "f" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "bin/h") { LinkName = "bin/f" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../../escape") { DataStream = new MemoryStream("e"u8.ToArray()) });
        }

        var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            await StageRunner.CopyArchiveAsync(writer, path, "/opt", null, CancellationToken.None);
        }

        output.Position = 0;
        using var reader = new TarReader(output);
        var names = new List<string>();
        while (reader.GetNextEntry() is { } e)
        {
            names.Add(e.Name + (e.EntryType == TarEntryType.HardLink ? ">" + e.LinkName : "") + (e.DataStream is { } d ? ":" + new StreamReader(d).ReadToEnd() : ""));
        }

        Assert.Equal(["opt/bin/", "opt/bin/f:data", "opt/bin/l", "opt/bin/h>opt/bin/f", "opt/escape:e"], names);
    }
}
