using Wharf.Cli.Cli;

namespace Wharf.Cli.Tests;

public sealed class ArgParserTests
{
    private static readonly FlagSpec[] Specs =
    [
        FlagSpec.Bool("all", 'a', "all"),
        FlagSpec.Bool("quiet", 'q', "quiet"),
        FlagSpec.Bool("human", 'H', "human", defaultValue: true),
        FlagSpec.String("format", null, "format"),
        FlagSpec.List("filter", 'f', "filter", "filter"),
    ];

    [Fact]
    public void ParsesCombinedShortBoolsAndPositionals()
    {
        var (flags, args) = ArgParser.Parse(Specs, ["-qa", "img", "--format={{.ID}}", "x"]);
        Assert.True(flags.Bool("quiet"));
        Assert.True(flags.Bool("all"));
        Assert.Equal("{{.ID}}", flags.String("format"));
        Assert.Equal(["img", "x"], args);
    }

    [Fact]
    public void RepeatsListFlagsInAllSpellings()
    {
        var (flags, _) = ArgParser.Parse(Specs, ["--filter", "a=b", "-f", "c=d", "-fe=f", "--filter=g=h"]);
        Assert.Equal(["a=b", "c=d", "e=f", "g=h"], flags.List("filter"));
    }

    [Fact]
    public void DoubleDashEndsFlags()
    {
        var (flags, args) = ArgParser.Parse(Specs, ["-a", "--", "-q", "--format"]);
        Assert.True(flags.Bool("all"));
        Assert.False(flags.Bool("quiet"));
        Assert.Equal(["-q", "--format"], args);
    }

    [Fact]
    public void BoolDefaultsAndExplicitValues()
    {
        Assert.True(ArgParser.Parse(Specs, []).Flags.Bool("human"));
        Assert.False(ArgParser.Parse(Specs, ["-H=false"]).Flags.Bool("human"));
        Assert.False(ArgParser.Parse(Specs, ["--human=0"]).Flags.Bool("human"));
    }

    [Fact]
    public void NonInterspersedStopsAtFirstArgument()
    {
        var (_, args) = ArgParser.Parse(GlobalOptions.Specs, ["-H", "unix:///x", "images", "-a"], interspersed: false);
        Assert.Equal(["images", "-a"], args);
    }

    [Fact]
    public void HelpIsRecognized()
    {
        Assert.True(ArgParser.Parse(Specs, ["--help"]).Flags.HelpRequested);
        Assert.True(ArgParser.Parse(Specs, ["-h"]).Flags.HelpRequested);
    }

    [Theory]
    [InlineData("--bogus", "unknown flag: --bogus")]
    [InlineData("-x", "unknown shorthand flag: 'x' in -x")]
    [InlineData("-qx", "unknown shorthand flag: 'x' in -x")]
    [InlineData("--format", "flag needs an argument: --format")]
    [InlineData("-f", "flag needs an argument: 'f' in -f")]
    [InlineData("--all=maybe", "invalid argument \"maybe\" for \"-a, --all\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax")]
    public void ReportsPflagErrors(string arg, string message)
    {
        var e = Assert.Throws<UsageException>(() => ArgParser.Parse(Specs, [arg]));
        Assert.Equal(message, e.Message);
        Assert.Equal(125, e.ExitCode);
    }

    [Theory]
    [InlineData(0, 0, 1, "'docker x' accepts no arguments", "Run")]
    [InlineData(2, 2, 1, "'docker x' requires 2 arguments", "Run")]
    [InlineData(1, int.MaxValue, 0, "'docker x' requires at least 1 argument", "See")]
    [InlineData(0, 1, 2, "'docker x' requires at most 1 argument", "Run")]
    public void ArgsRules(int min, int max, int count, string message, string verb)
    {
        var problem = new ArgsRule(min, max).Check(count, "docker x");
        Assert.Equal((message, verb), problem);
    }

    [Fact]
    public void HelpTextMatchesDockerLayout()
    {
        var text = HelpWriter.CommandHelp("docker tag", new CommandSpec("SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", [], ArgsRule.Exactly(2), ["image tag", "tag"]), ["image tag", "tag"], "docker");
        Assert.Equal("Usage:  docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]\n\nCreate a tag TARGET_IMAGE that refers to SOURCE_IMAGE\n\nAliases:\n  docker image tag, docker tag\n", text);
    }

    [Fact]
    public void FlagUsagesWrapLikePflag()
    {
        string usage = HelpWriter.FlagUsages([FlagSpec.Bool("human", 'H', "Print sizes and dates in human readable format", true), FlagSpec.Bool("no-trunc", null, "Don't truncate output"), FlagSpec.String("format", null, "x")], 79);
        Assert.Equal(
            "      --format string   x\n" +
            "  -H, --human           Print sizes and dates in human readable format\n" +
            "                        (default true)\n" +
            "      --no-trunc        Don't truncate output\n", usage);
    }
}
