using System.Text;
using Wharf.Api.Server.Exec;

namespace Wharf.Api.Server.Tests;

public sealed class DetachFilterTests
{
    [Fact]
    public void SequenceEndsTheCopyAndIsNotPassedOn()
    {
        var matched = 0;
        var (forward, detached) = DetachFilter.Scan("ab\u0010\u0011cd"u8, DetachFilter.Default, ref matched);
        Assert.True(detached);
        Assert.Equal("ab", Encoding.ASCII.GetString(forward));
    }

    [Fact]
    public void BrokenOffPrefixIsPassedOnAndMatchesSpanReads()
    {
        var matched = 0;
        var (first, d1) = DetachFilter.Scan("x\u0010"u8, DetachFilter.Default, ref matched);
        Assert.False(d1);
        Assert.Equal("x", Encoding.ASCII.GetString(first));
        Assert.Equal(1, matched);
        var (second, d2) = DetachFilter.Scan("y"u8, DetachFilter.Default, ref matched);
        Assert.False(d2);
        Assert.Equal("\u0010y", Encoding.ASCII.GetString(second));

        matched = 0;
        DetachFilter.Scan("\u0010"u8, DetachFilter.Default, ref matched);
        var (_, d3) = DetachFilter.Scan("\u0011"u8, DetachFilter.Default, ref matched);
        Assert.True(d3);
    }

    [Fact]
    public async Task CopyStopsAtTheSequence()
    {
        using var input = new MemoryStream("hello\u0001\u0002more"u8.ToArray());
        using var output = new MemoryStream();
        Assert.True(await DetachFilter.CopyAsync(input, output, [1, 2], CancellationToken.None));
        Assert.Equal("hello", Encoding.ASCII.GetString(output.ToArray()));
        using var plain = new MemoryStream("no keys"u8.ToArray());
        Assert.False(await DetachFilter.CopyAsync(plain, Stream.Null, [1, 2], CancellationToken.None));
    }
}
