using Wharf.Linux;

namespace Wharf.Snapshots.Tests;

public sealed class PosixTests : IDisposable
{
    private readonly TempRoot _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ErrorsCarryErrnoAndPath()
    {
        var missing = Path.Join(_temp.Base, "missing");

        var e = Assert.Throws<ErrnoException>(() => Posix.LStat(missing));

        Assert.Equal((Errno.ENOENT, missing), (e.Errno, e.Path));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.False(Posix.TryLStat(missing, out _));
    }

    [Fact]
    public void SymlinkCallsDoNotFollow()
    {
        var link = Path.Join(_temp.Base, "link");
        Posix.Symlink(_temp.Sentinel, link);

        Posix.LChown(link, 123, 456);
        Posix.LSetTimes(link, new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var st = Posix.LStat(link);
        Assert.Equal((FileKind.SymbolicLink, 123u, 456u), (st.Kind, st.Uid, st.Gid));
        Assert.Equal(978307200, st.ModifySeconds);
        var target = Posix.LStat(_temp.Sentinel);
        Assert.Equal((0u, 0u), (target.Uid, target.Gid));
        Assert.NotEqual(978307200, target.ModifySeconds);
    }
}
