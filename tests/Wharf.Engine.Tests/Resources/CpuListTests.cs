using Wharf.Engine.Containers;

namespace Wharf.Engine.Tests.Resources;

public sealed class CpuListTests
{
    [Theory]
    [InlineData("", new int[0])]
    [InlineData("0", new[] { 0 })]
    [InlineData("0-2,5", new[] { 0, 1, 2, 5 })]
    [InlineData("3,1-1", new[] { 1, 3 })]
    public void ParsesLists(string list, int[] expected) => Assert.Equal(expected.Order(), CpuList.Parse(list).Order());

    [Theory]
    [InlineData("abc")]
    [InlineData("1-")]
    [InlineData("3-1")]
    [InlineData("-1")]
    [InlineData("1,,2")]
    public void RejectsWithDockersWording(string list)
    {
        var e = Assert.Throws<FormatException>(() => CpuList.Parse(list));

        Assert.Equal("invalid format: " + list, e.Message);
    }

    [Theory]
    [InlineData("0", "0-1", true)]
    [InlineData("0,1", "0-1", true)]
    [InlineData("7", "0-1", false)]
    [InlineData("", "0-1", true)]
    public void Availability(string requested, string available, bool expected) => Assert.Equal(expected, CpuList.IsAvailable(requested, available));

    [Fact]
    public void AHugeRangeIsRefusedInsteadOfEnumerated()
    {
        var e = Assert.Throws<FormatException>(() => CpuList.IsAvailable("0-2000000000", "0-1"));

        Assert.Equal("value of out range, maximum is 8192", e.Message);
    }
}
