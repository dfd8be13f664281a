using Wharf.Core.Errors;
using Wharf.Core.Filters;

namespace Wharf.Core.Tests;

public sealed class FilterSetTests
{
    [Fact]
    public void ParsesCurrentAndLegacyForms()
    {
        var current = FilterSet.Parse("""{"label":["a=b","c"],"dangling":["true"]}""");
        var legacy = FilterSet.Parse("""{"label":{"a=b":true,"c":true},"dangling":{"true":true}}""");
        foreach (var f in new[] { current, legacy })
        {
            Assert.Equal(["a=b", "c"], f.Get("label"));
            Assert.True(f.GetBool("dangling"));
        }
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"a\":1}")]
    [InlineData("{not json")]
    [InlineData("{\"a\":[1]}")]
    public void RejectsMalformed(string json)
    {
        var e = Assert.Throws<WharfException>(() => FilterSet.Parse(json));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void EmptyInputIsEmpty()
    {
        Assert.Empty(FilterSet.Parse(null).Keys);
        Assert.Empty(FilterSet.Parse("").Keys);
        Assert.Null(FilterSet.Parse("{}").GetBool("dangling"));
    }

    [Fact]
    public void ValidateNamesTheUnknownKey()
    {
        var e = Assert.Throws<WharfException>(() => FilterSet.Parse("""{"bogus":["x"]}""").Validate("label"));
        Assert.Equal("invalid filter 'bogus'", e.Message);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("yes")]
    public void BadBooleanIsAnError(string value)
        => Assert.Throws<WharfException>(() => FilterSet.Of(("dangling", value)).GetBool("dangling"));

    [Theory]
    [InlineData("a", true)]
    [InlineData("a=b", true)]
    [InlineData("a=c", false)]
    [InlineData("z", false)]
    public void LabelMatching(string filter, bool expected)
    {
        var labels = new Dictionary<string, string> { ["a"] = "b" };
        Assert.Equal(expected, FilterSet.Of(("label", filter)).MatchLabels("label", labels));
    }

    [Fact]
    public void AllLabelFiltersMustMatch()
    {
        var labels = new Dictionary<string, string> { ["a"] = "b", ["c"] = "d" };
        Assert.True(FilterSet.Of(("label", "a=b"), ("label", "c")).MatchLabels("label", labels));
        Assert.False(FilterSet.Of(("label", "a=b"), ("label", "x")).MatchLabels("label", labels));
        Assert.False(FilterSet.Of(("label", "a")).MatchLabels("label", null));
    }
}
