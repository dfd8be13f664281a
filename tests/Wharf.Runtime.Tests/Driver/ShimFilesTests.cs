using Wharf.Runtime.Runc;

namespace Wharf.Runtime.Tests.Driver;

/// <summary>Parsing what the shim and runc print and write (formats in src/wharf-shim/README.md).</summary>
public sealed class ShimFilesTests
{
    [Fact]
    public void ExitFileWithNanosecondsAndSignal()
    {
        var exit = ShimFiles.ParseExit("{\"exitCode\":137,\"exitedAt\":\"2026-11-22T07:00:00.123456789Z\",\"oomKilled\":true,\"signal\":9}\n");
        Assert.NotNull(exit);
        Assert.Equal(137, exit.ExitCode);
        Assert.True(exit.OomKilled);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 7, 0, 0, TimeSpan.Zero).AddTicks(1234567), exit.ExitedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"exitCode\":")]
    [InlineData("{}")]
    public void IncompleteExitFileIsNoExit(string text) => Assert.Null(ShimFiles.ParseExit(text));

    [Fact]
    public void VerdictSuccessAndError()
    {
        Assert.Equal((1234, 1240, null), ShimFiles.ParseVerdict("{\"shimPid\":1234,\"initPid\":1240}\n"));
        Assert.Equal((0, 0, "runc create failed: x"), ShimFiles.ParseVerdict("{\"error\":\"runc create failed: x\"}\n"));
        Assert.Equal((0, 0, null), ShimFiles.ParseVerdict("garbage"));
    }

    [Fact]
    public void RuncErrorTakesLastErrorLevelMessage()
    {
        var stderr = "{\"level\":\"warning\",\"msg\":\"w\",\"time\":\"t\"}\n{\"level\":\"error\",\"msg\":\"container not running\",\"time\":\"t\"}\n";
        Assert.Equal("container not running", ShimFiles.RuncError(stderr));
        Assert.Equal("plain text", ShimFiles.RuncError("plain text\n"));
    }
}
