using Wharf.Api.Streams;

namespace Wharf.Api.Tests.Streams;

public sealed class DetachKeysTests
{
    [Theory]
    [InlineData("ctrl-p,ctrl-q", new byte[] { 0x10, 0x11 })]
    [InlineData("a", new byte[] { (byte)'a' })]
    [InlineData("ctrl-a,a,Z,1", new byte[] { 0x01, (byte)'a', (byte)'Z', (byte)'1' })]
    [InlineData("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", new byte[] { 0x00, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f })]
    [InlineData("ctrl-z,DEL", new byte[] { 0x1a, 0x7f })]
    public void ParsesDockersSyntax(string text, byte[] expected)
    {
        Assert.True(DetachKeys.TryParse(text, out var keys, out var error), error);
        Assert.Equal(expected, keys);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("ctrl-p,", "")]
    [InlineData(",", "")]
    [InlineData("ctrl-P", "ctrl-P")]
    [InlineData("ctrl-1", "ctrl-1")]
    [InlineData("ab", "ab")]
    [InlineData("ctrl-p,foo", "foo")]
    [InlineData("é", "é")]
    [InlineData("del", "del")]
    public void RejectsWhatMobyTermRejects(string text, string badKey)
    {
        Assert.False(DetachKeys.TryParse(text, out var keys, out var error));
        Assert.Empty(keys);
        Assert.Equal($"Unknown character: '{badKey}'", error);
    }

    [Fact]
    public void DefaultIsCtrlPCtrlQ()
    {
        Assert.True(DetachKeys.TryParse(DetachKeys.DefaultText, out var keys, out _));
        Assert.Equal(DetachKeys.Default.ToArray(), keys);
        Assert.Equal("ctrl-p,ctrl-q", DetachKeys.Format(keys));
        Assert.Equal("ctrl-@,a,DEL", DetachKeys.Format([0, (byte)'a', 0x7f]));
    }
}
