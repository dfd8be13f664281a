using Wharf.Snapshots.Rootfs;

namespace Wharf.Snapshots.Tests.Rootfs;

/// <summary>Go's os.FileMode, as recorded from dockerd's path stat header.</summary>
public sealed class GoFileModeTests
{
    [Theory]
    [InlineData(0x41ED, 2147484141u)] // drwxr-xr-x
    [InlineData(0x89ED, 8389101u)] // -rwsr-xr-x (setuid)
    [InlineData(0x11A4, 33554852u)] // prw-r--r--
    [InlineData(0xA1FF, 134218239u)] // lrwxrwxrwx
    [InlineData(0x43FF, 2148532735u)] // drwxrwxrwt (sticky)
    [InlineData(0x21B6, (1u << 26) | (1u << 21) | 0x1B6)] // crw-rw-rw-
    public void MatchesWhatDockerSends(int unixMode, uint goMode) => Assert.Equal(goMode, GoFileMode.FromUnix((uint)unixMode));
}
