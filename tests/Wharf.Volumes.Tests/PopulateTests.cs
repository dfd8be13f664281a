using Wharf.Core.Volumes;
using Wharf.Linux;

namespace Wharf.Volumes.Tests;

public sealed class PopulateTests
{
    [Fact]
    public async Task CopiesTheImageTreeWithOwnersModesLinksAndTimes()
    {
        await using var h = await Harness.StartAsync();
        var src = Path.Join(h.Dir, "image-data");
        Directory.CreateDirectory(Path.Join(src, "sub"));
        await File.WriteAllTextAsync(Path.Join(src, "seed.txt"), "seeded");
        await File.WriteAllTextAsync(Path.Join(src, "sub", "deep.txt"), "deep");
        Posix.Link(Path.Join(src, "seed.txt"), Path.Join(src, "hard.txt"));
        File.CreateSymbolicLink(Path.Join(src, "escape"), "/etc/passwd");
        Posix.MakeFifo(Path.Join(src, "pipe"), 0b110_100_000);
        Posix.LChown(src, 1000, 1001);
        Posix.Chmod(src, 0b111_101_000);
        Posix.LChown(Path.Join(src, "seed.txt"), 1002, 1003);
        Posix.Chmod(Path.Join(src, "seed.txt"), 0b110_100_000 | 0b100_000_000_000);
        Posix.LSetTimes(Path.Join(src, "sub", "deep.txt"), 1_000_000, 5, 1_000_000, 7);

        var v = await h.Service.CreateAsync(new VolumeCreateRequest(), CancellationToken.None);
        await h.Service.PopulateAsync(v.Name, src, CancellationToken.None);

        var root = Posix.LStat(v.Mountpoint);
        Assert.Equal((1000u, 1001u, 0b111_101_000u), (root.Uid, root.Gid, root.Permissions));
        var seed = Posix.LStat(Path.Join(v.Mountpoint, "seed.txt"));
        Assert.Equal((1002u, 1003u, 0b110_100_000u | 0b100_000_000_000u), (seed.Uid, seed.Gid, seed.Permissions));
        Assert.Equal(seed.Inode, Posix.LStat(Path.Join(v.Mountpoint, "hard.txt")).Inode);
        Assert.Equal("/etc/passwd", Posix.ReadLink(Path.Join(v.Mountpoint, "escape")));
        Assert.Equal(FileKind.Fifo, Posix.LStat(Path.Join(v.Mountpoint, "pipe")).Kind);
        var deep = Posix.LStat(Path.Join(v.Mountpoint, "sub", "deep.txt"));
        Assert.Equal((1_000_000L, 7u), (deep.ModifySeconds, deep.ModifyNanoseconds));
        Assert.Equal("deep", await File.ReadAllTextAsync(Path.Join(v.Mountpoint, "sub", "deep.txt")));
    }

    [Fact]
    public async Task LeavesAVolumeThatAlreadyHasContentAlone()
    {
        await using var h = await Harness.StartAsync();
        var src = Path.Join(h.Dir, "image-data");
        Directory.CreateDirectory(src);
        await File.WriteAllTextAsync(Path.Join(src, "from-image"), "x");
        var v = await h.Service.CreateAsync(new VolumeCreateRequest { Name = "used" }, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Join(v.Mountpoint, "mine"), "y");

        await h.Service.PopulateAsync("used", src, CancellationToken.None);
        Assert.Equal(["mine"], Directory.EnumerateFileSystemEntries(v.Mountpoint).Select(Path.GetFileName));
    }
}
