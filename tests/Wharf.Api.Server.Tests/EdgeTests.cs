using Wharf.Core.Errors;

namespace Wharf.Api.Server.Tests;

public sealed class EdgeTests
{
    [Theory]
    [InlineData(ErrorKind.NotModified, 304)]
    [InlineData(ErrorKind.InvalidArgument, 400)]
    [InlineData(ErrorKind.Unauthorized, 401)]
    [InlineData(ErrorKind.Forbidden, 403)]
    [InlineData(ErrorKind.NotFound, 404)]
    [InlineData(ErrorKind.Conflict, 409)]
    [InlineData(ErrorKind.Internal, 500)]
    [InlineData(ErrorKind.NotImplemented, 501)]
    [InlineData(ErrorKind.Unavailable, 503)]
    public void EveryKindHasDockersStatus(ErrorKind kind, int status) => Assert.Equal(status, ErrorMap.StatusOf(kind));

    [Fact]
    public void EveryKindIsMapped()
    {
        foreach (var kind in Enum.GetValues<ErrorKind>())
        {
            Assert.InRange(ErrorMap.StatusOf(kind), kind == ErrorKind.NotModified ? 304 : 400, 599);
        }
    }

    [Theory]
    [InlineData("1.24", 1, 24)]
    [InlineData("1.47", 1, 47)]
    [InlineData("1.9", 1, 9)]
    public void ParsesVersions(string s, int major, int minor) => Assert.Equal(new ApiVersion(major, minor), ApiVersion.Parse(s));

    [Theory]
    [InlineData("1")]
    [InlineData("x.y")]
    [InlineData("1.-2")]
    [InlineData("")]
    public void RejectsBadVersions(string s) => Assert.False(ApiVersion.TryParse(s, out _));

    [Fact]
    public void VersionsCompareNumerically()
    {
        Assert.True(ApiVersion.Parse("1.9") < ApiVersion.Parse("1.10"));
        Assert.True(ApiVersion.Parse("1.47") > ApiVersion.Parse("1.41"));
        Assert.True(ApiVersion.Min <= ApiVersion.Max);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void BooleanQueryValues(string? value, bool expected) => Assert.Equal(expected, ImageEndpoints.Bool(value));

    [Theory]
    [InlineData(32768, "32.77kB")]
    [InlineData(1986560, "1.987MB")]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(1000, "1kB")]
    [InlineData(1234567890, "1.235GB")]
    public void HumanSizeIsGoUnits(long size, string expected) => Assert.Equal(expected, ProgressStream.HumanSize(size));

    /// <summary>Bars recorded from dockerd 20.10's load progress (tests/golden/dockerd-20.10/load-response.txt).</summary>
    [Theory]
    [InlineData(32768, 1986560, "[>                                                  ]  32.77kB/1.987MB")]
    [InlineData(163840, 1986560, "[====>                                              ]  163.8kB/1.987MB")]
    [InlineData(1986560, 1986560, "[==================================================>]  1.987MB/1.987MB")]
    public void ProgressBarMatchesDockerd(long current, long total, string expected) => Assert.Equal(expected, ProgressStream.RenderBar(current, total));

    [Theory]
    [InlineData("sleep", new[] { "1" }, "sleep 1")]
    [InlineData("sh", new[] { "-c", "exit 0" }, "sh -c 'exit 0'")]
    [InlineData("true", new string[0], "true")]
    public void ListCommandQuotesArgumentsWithSpacesAsDockerd(string path, string[] args, string expected)
        => Assert.Equal(expected, Containers.ContainerMapper.CommandText(path, args));

    [Fact]
    public void TimesAreGoRfc3339Nano()
        => Assert.Equal("2026-11-22T06:31:46.256143900Z", ImageMapper.FormatTime(new DateTimeOffset(2026, 11, 22, 6, 31, 46, TimeSpan.Zero).AddTicks(2561439)));
}
