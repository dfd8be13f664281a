using Wharf.Core.Errors;
using Wharf.Core.Filters;

namespace Wharf.Core.Tests;

public sealed class TimeFilterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1795329106", 1795329106_0000000L)]
    [InlineData("1795329106.5", 1795329106_5000000L)]
    public void UnixSeconds(string value, long ticksSinceEpoch)
        => Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(ticksSinceEpoch), TimeFilter.Parse(value, Now));

    [Fact]
    public void Rfc3339() => Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), TimeFilter.Parse("2026-01-02T03:04:05Z", Now));

    [Theory]
    [InlineData("10m", 600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5s", 1.5)]
    [InlineData("250ms", 0.25)]
    public void DurationsAreRelativeToNow(string value, double seconds)
        => Assert.Equal(Now - TimeSpan.FromSeconds(seconds), TimeFilter.Parse(value, Now));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("10x")]
    [InlineData("m")]
    public void GarbageIsInvalid(string value)
        => Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<WharfException>(() => TimeFilter.Parse(value, Now)).Kind);
}
