using System.Formats.Tar;
using Wharf.Core.Errors;

namespace Wharf.Build.Tests;

/// <summary>
/// A context from a tar is unpacked on demand; what ends up on disk must be exactly what
/// unpacking the whole tar entry by entry leaves.
/// </summary>
public sealed class ContextIndexTests : IDisposable
{
    private static readonly DateTimeOffset T1 = new(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = new(2011, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("wharf-ctxindex-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Tar(Action<TarWriter> write)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(w);
        }

        return ms.ToArray();
    }

    private static PaxTarEntry File(string name, string text, UnixFileMode mode = (UnixFileMode)0b110_100_100, DateTimeOffset? time = null)
        => new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), Mode = mode, ModificationTime = time ?? T1 };

    private static PaxTarEntry Dir(string name, UnixFileMode mode, DateTimeOffset time)
        => new(TarEntryType.Directory, name) { Mode = mode, ModificationTime = time };

    /// <summary>Duplicates, a directory replaced by a file, implicit parents, links, modes and times.</summary>
    private static byte[] Tricky() => Tar(w =>
    {
        w.WriteEntry(Dir("./", (UnixFileMode)0b111_101_101, T1));
        w.WriteEntry(Dir("a/", (UnixFileMode)0b111_000_000, T2));
        w.WriteEntry(File("a/one", "first", (UnixFileMode)0b100_000_000, T2));
        w.WriteEntry(File("a/one", "second, longer than the first"));
        w.WriteEntry(File("implicit/deep/f", new string('x', 70_000)));
        w.WriteEntry(Dir("gone/", (UnixFileMode)0b111_101_101, T1));
        w.WriteEntry(File("gone/child", "lost"));
        w.WriteEntry(File("gone", "now a file"));
        w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = "a/one" });
        w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "hard") { LinkName = "a/one" });
        w.WriteEntry(new PaxTarEntry(TarEntryType.Fifo, "fifo"));
        w.WriteEntry(File("a.b/x", "sorted after a/ in a walk"));
        w.WriteEntry(Dir("deep/", (UnixFileMode)0b111_101_000, T2));
        w.WriteEntry(File("deep/sub/f", "below an implicit directory"));
        w.WriteEntry(File("a/two", "2", (UnixFileMode)0b111_101_101, T2));
        w.WriteEntry(Dir("a/", (UnixFileMode)0b111_111_111, T1));
    });

    private static List<string> Describe(string root)
        => [.. CopyPlan.Walk(root, "", null).Select(e =>
        {
            var info = new FileInfo(e.Path);
            if (info.LinkTarget is { } link)
            {
                return $"{e.Rel} -> {link}";
            }

            if (Directory.Exists(e.Path))
            {
                return $"{e.Rel}/ {new DirectoryInfo(e.Path).UnixFileMode}";
            }

            // A hard link is unpacked as a copy made now; its time is not the tar's.
            var time = e.Rel == "hard" ? "" : info.LastWriteTimeUtc.ToString("O");
            return $"{e.Rel} {info.UnixFileMode} {time} {System.IO.File.ReadAllText(e.Path)}";
        })];

    private static List<string> DirTimes(string root)
        => [.. new[] { "a", "deep" }.Select(d => d + " " + Directory.GetLastWriteTimeUtc(Path.Combine(root, d)).ToString("O"))];

    [Fact]
    public async Task UnpackingOnDemandLeavesWhatUnpackingEverythingLeaves()
    {
        var tar = Tricky();
        using var eager = ContextDir.Empty(Path.Combine(_dir, "eager"));
        await eager.ExtractIntoAsync(new MemoryStream(tar), "", CancellationToken.None);
        using var lazy = await ContextDir.ExtractAsync(new MemoryStream(tar), Path.Combine(_dir, "lazy"), CancellationToken.None);
        Assert.Empty(Directory.EnumerateFileSystemEntries(lazy.Root));

        // A piece first, then the rest: the result is the same as one pass over the tar.
        Assert.Equal("second, longer than the first", System.IO.File.ReadAllText(lazy.FullPath(lazy.Resolve("link"))));
        lazy.FullPath("");
        Assert.Equal(Describe(eager.Root), Describe(lazy.Root));
        Assert.Equal(DirTimes(eager.Root), DirTimes(lazy.Root));
        Assert.Equal(eager.AllNames(), lazy.AllNames());
        Assert.DoesNotContain("gone/child", lazy.AllNames());
    }

    [Fact]
    public async Task OnlyWhatIsAskedForIsWritten()
    {
        var tar = Tar(w =>
        {
            w.WriteEntry(File("big/a", "a"));
            w.WriteEntry(File("big/b", "b"));
            w.WriteEntry(File("small.txt", "small"));
            w.WriteEntry(File("Dockerfile", "FROM scratch"));
        });
        using var ctx = await ContextDir.ExtractAsync(new MemoryStream(tar), Path.Combine(_dir, "c"), CancellationToken.None);
        Assert.Equal("small", System.IO.File.ReadAllText(ctx.FullPath(ctx.Resolve("small.txt"))));
        Assert.False(Directory.Exists(Path.Combine(ctx.Root, "big")));
        Assert.True(System.IO.File.Exists(Path.Combine(_dir, "c.tar")));

        ctx.Remove("Dockerfile");
        ctx.FullPath("");
        Assert.Equal(["big", "big/a", "big/b", "small.txt"], ctx.AllNames());
        Assert.False(System.IO.File.Exists(Path.Combine(ctx.Root, "Dockerfile")));
        ctx.Dispose();
        Assert.False(System.IO.File.Exists(Path.Combine(_dir, "c.tar")));
        Assert.False(Directory.Exists(ctx.Root));
    }

    [Fact]
    public async Task BadContextsAreRefusedAndLeaveNothing()
    {
        var through = Tar(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = "/tmp" });
            w.WriteEntry(File("link/evil", "x"));
        });
        var e = await Assert.ThrowsAsync<WharfException>(() => ContextDir.ExtractAsync(new MemoryStream(through), Path.Combine(_dir, "s"), CancellationToken.None));
        Assert.Contains("through the symlink link", e.Message, StringComparison.Ordinal);

        var hard = Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "h") { LinkName = "missing" }));
        e = await Assert.ThrowsAsync<WharfException>(() => ContextDir.ExtractAsync(new MemoryStream(hard), Path.Combine(_dir, "h"), CancellationToken.None));
        Assert.Contains("missing file", e.Message, StringComparison.Ordinal);

        var cut = Tar(w => w.WriteEntry(File("f", new string('y', 10_000))))[..3000];
        e = await Assert.ThrowsAsync<WharfException>(() => ContextDir.ExtractAsync(new MemoryStream(cut), Path.Combine(_dir, "t"), CancellationToken.None));
        Assert.StartsWith("invalid build context", e.Message, StringComparison.Ordinal);

        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("a/x", "a.b", -1)]
    [InlineData("a", "a/x", -1)]
    [InlineData("a/b", "a/b", 0)]
    [InlineData("b", "a/z", 1)]
    public void PathsSortAsADirectoryWalkMeetsThem(string a, string b, int sign)
        => Assert.Equal(sign, Math.Sign(ContextIndex.ComparePaths(a, b)));
}
