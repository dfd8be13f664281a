using System.Text.Json.Nodes;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;

namespace Wharf.Cli.Tests;

public sealed class FormattingTests
{
    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(1000, "1kB")]
    [InlineData(12500, "12.5kB")]
    [InlineData(1982256, "1.98MB")]
    [InlineData(4260000, "4.26MB")]
    [InlineData(999500, "1e+03kB")]
    [InlineData(1500000000, "1.5GB")]
    public void HumanSize(double size, string expected) => Assert.Equal(expected, Humanize.Size(size));

    [Theory]
    [InlineData(1982256, "1.982MB")]
    [InlineData(0, "0B")]
    public void HumanSizeDefaultPrecision(double size, string expected) => Assert.Equal(expected, Humanize.SizeDefault(size));

    [Fact]
    public void BytesSizeIsBinary() => Assert.Equal("23.54GiB", Humanize.BytesSize(25275551744));

    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(30, "30 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(150, "2 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(5400, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(2 * 86400, "2 days")]
    [InlineData(15 * 86400, "2 weeks")]
    [InlineData(90 * 86400, "3 months")]
    [InlineData(800 * 86400, "2 years")]
    public void HumanDuration(double seconds, string expected) => Assert.Equal(expected, Humanize.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("sha256:e69b7d6ce4581702ba11c53b79b47e82ee98622cc331b7e2ed6e48e6c67a3d6f", "e69b7d6ce458")]
    [InlineData("<missing>", "<missing>")]
    public void ShortId(string id, string expected) => Assert.Equal(expected, Humanize.ShortId(id));

    [Fact]
    public void EllipsisKeepsLengthWithMarker() => Assert.Equal("abcd…", Humanize.Ellipsis("abcdefgh", 5));

    [Fact]
    public void TabWriterAlignsLikeGo()
    {
        string text = "REPOSITORY\tTAG\tIMAGE ID\tSIZE\nexample/foo\t1.0\te69b7d6ce458\t1.98MB\n";
        Assert.Equal(
            "REPOSITORY    TAG       IMAGE ID       SIZE\n" +
            "example/foo   1.0       e69b7d6ce458   1.98MB\n", new TabWriter().Format(text));
    }

    [Fact]
    public void TabWriterLinesWithoutCellsBreakBlocks()
    {
        string text = "a\tb\nplain line\nlonger-cell\tc\n";
        Assert.Equal("a         b\nplain line\nlonger-cell   c\n", new TabWriter().Format(text));
    }

    [Fact]
    public void RenderTableUsesHeaderNames()
    {
        var rows = new[] { new TemplateStruct("*t", new JsonObject { ["ID"] = "abc", ["Size"] = "1B" }) };
        var header = new JsonObject { ["ID"] = "IMAGE ID", ["Size"] = "SIZE" };
        Assert.Equal("IMAGE ID   SIZE\nabc        1B\n", OutputFormat.Render("table {{.ID}}\\t{{.Size}}", rows, header));
        Assert.Equal("abc\n", OutputFormat.Render("{{.ID}}", rows, header));
        Assert.Equal("{\"ID\":\"abc\",\"Size\":\"1B\"}\n", OutputFormat.Render("json", rows, header));
    }

    [Fact]
    public void JsonIndentLikeGo() =>
        Assert.Equal("[\n    {\n        \"a\": [],\n        \"b\": {},\n        \"c\": \"x\\u003c\"\n    }\n]", JsonIndent.Indent("[{\"a\":[],\"b\":{},\"c\":\"x\\u003c\"}]"));
}
