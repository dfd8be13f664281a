using Wharf.Build.Parsing;
using Wharf.Core.Errors;

namespace Wharf.Build.Tests;

public sealed class DockerfileParserTests
{
    [Fact]
    public void ParsesStagesMetaArgsAndFlags()
    {
        var df = DockerfileParser.Parse("""
            # syntax=docker/dockerfile:1
            # check=skip=all
            ARG BASE=busybox
            FROM --platform=linux/amd64 ${BASE} AS Build
            RUN --mount=type=cache,target=/root/.cache --network=none echo hi
            FROM busybox
            COPY --from=build --chown=1:2 --chmod=0644 --link --parents --exclude=*.tmp /a /b /dest/
            """);
        Assert.Equal("docker/dockerfile:1", df.Directives["syntax"]);
        Assert.Equal("skip=all", df.Directives["check"]);
        Assert.Single(df.MetaArgs);
        Assert.Equal(2, df.Stages.Count);
        Assert.Equal("build", df.Stages[0].Name);
        Assert.Equal("${BASE}", df.Stages[0].BaseName);
        Assert.Equal("linux/amd64", df.Stages[0].Platform);
        var run = df.Stages[0].Instructions[0];
        Assert.Equal("run", run.Keyword);
        Assert.Equal(5, run.Line);
        Assert.Equal("type=cache,target=/root/.cache", run.Flag("mount"));
        Assert.Equal("none", run.Flag("network"));
        Assert.Equal(["echo hi"], run.Args);
        var copy = df.Stages[1].Instructions[0];
        Assert.Equal("build", copy.Flag("from"));
        Assert.Equal("1:2", copy.Flag("chown"));
        Assert.Equal("0644", copy.Flag("chmod"));
        Assert.True(copy.HasFlag("link"));
        Assert.True(copy.HasFlag("parents"));
        Assert.Equal(["*.tmp"], copy.FlagValues("exclude"));
        Assert.Equal(["/a", "/b", "/dest/"], copy.Args);
        Assert.Same(df.Stages[0], df.FindStage("BUILD"));
        Assert.Same(df.Stages[1], df.FindStage("1"));
        Assert.Null(df.FindStage("nope"));
    }

    [Fact]
    public void JoinsContinuationsSkippingCommentsAndEmptyLines()
    {
        var df = DockerfileParser.Parse("FROM busybox\nRUN echo a \\\n# a comment\n\n  && echo b\nCMD [\"sh\"]\n");
        var run = df.Stages[0].Instructions[0];
        Assert.Equal("RUN echo a   && echo b", run.Original);
        Assert.Equal(2, run.Line);
        Assert.Equal(6, df.Stages[0].Instructions[1].Line);
    }

    [Fact]
    public void EscapeDirectiveChangesTheContinuationCharacter()
    {
        var df = DockerfileParser.Parse("# escape=`\nFROM busybox\nRUN echo a `\n b\nWORKDIR C:\\dir\n");
        Assert.Equal('`', df.EscapeToken);
        Assert.Equal(["echo a  b"], df.Stages[0].Instructions[0].Args);
        Assert.Equal(["C:\\dir"], df.Stages[0].Instructions[1].Args);
    }

    [Fact]
    public void DirectivesAfterACommentAreComments()
    {
        var df = DockerfileParser.Parse("# hello\n# escape=`\nFROM busybox\nRUN echo \\\n a\n");
        Assert.Equal('\\', df.EscapeToken);
        Assert.Empty(df.Directives);
    }

    [Fact]
    public void JsonAndShellForms()
    {
        var df = DockerfileParser.Parse("""
            FROM busybox
            CMD ["echo", "a b"]
            ENTRYPOINT echo x
            RUN [not json
            SHELL ["/bin/ash", "-c"]
            VOLUME ["/a", "/b"]
            VOLUME /c /d
            """);
        var i = df.Stages[0].Instructions;
        Assert.True(i[0].IsJson);
        Assert.Equal(["echo", "a b"], i[0].Args);
        Assert.False(i[1].IsJson);
        Assert.Equal(["echo x"], i[1].Args);
        Assert.False(i[2].IsJson);
        Assert.Equal(["[not json"], i[2].Args);
        Assert.Equal(["/bin/ash", "-c"], i[3].Args);
        Assert.Equal(["/a", "/b"], i[4].Args);
        Assert.Equal(["/c", "/d"], i[5].Args);
    }

    [Fact]
    public void EnvAndLabelPairsKeepQuotesUntilSubstitution()
    {
        var df = DockerfileParser.Parse("""
            FROM busybox
            ENV A=1 B="two words" C=x\ y
            ENV OLD the old form
            LABEL "com.example.a"="v" b=c
            """);
        var i = df.Stages[0].Instructions;
        Assert.Equal(["A", "1", "B", "\"two words\"", "C", "x\\ y"], i[0].Args);
        Assert.Equal(["OLD", "the old form"], i[1].Args);
        Assert.Equal(["\"com.example.a\"", "\"v\"", "b", "c"], i[2].Args);
    }

    [Fact]
    public void HeredocsAreRead()
    {
        var df = DockerfileParser.Parse("FROM busybox\nRUN <<EOF\necho hi\necho there\nEOF\nCOPY <<-\"CONF\" /etc/x.conf\n\tkey=$v\n\tCONF\nCMD sh\n");
        var i = df.Stages[0].Instructions;
        Assert.Equal("echo hi\necho there\n", i[0].Heredocs.Single().Content);
        Assert.True(i[0].Heredocs[0].Expand);
        var copy = i[1];
        Assert.Equal("CONF", copy.Heredocs[0].Name);
        Assert.Equal("key=$v\n", copy.Heredocs[0].Content);
        Assert.False(copy.Heredocs[0].Expand);
        Assert.True(copy.Heredocs[0].Chomp);
        Assert.Equal(["<<-\"CONF\"", "/etc/x.conf"], copy.Args);
        Assert.Equal("cmd", i[2].Keyword);
        Assert.Equal(9, i[2].Line);
    }

    [Fact]
    public void EveryOtherInstruction()
    {
        var df = DockerfileParser.Parse("""
            FROM busybox
            EXPOSE 80/tcp 443
            USER nobody
            WORKDIR /srv/my app
            ARG A B=2
            ONBUILD RUN echo built
            STOPSIGNAL SIGTERM
            HEALTHCHECK --interval=5s --retries=3 CMD ["wget", "-q", "localhost"]
            HEALTHCHECK NONE
            MAINTAINER me
            ADD --chown=app --chmod=755 a.tar.gz /opt/
            """);
        var i = df.Stages[0].Instructions;
        Assert.Equal(["80/tcp", "443"], i[0].Args);
        Assert.Equal(["nobody"], i[1].Args);
        Assert.Equal(["/srv/my app"], i[2].Args);
        Assert.Equal(["A", "B=2"], i[3].Args);
        Assert.Equal("run", i[4].Inner!.Keyword);
        Assert.Equal(["SIGTERM"], i[5].Args);
        Assert.Equal(["CMD", "wget", "-q", "localhost"], i[6].Args);
        Assert.Equal("5s", i[6].Flag("interval"));
        Assert.Equal(["NONE"], i[7].Args);
        Assert.Equal("maintainer", i[8].Keyword);
        Assert.Equal("app", i[9].Flag("chown"));
    }

    [Theory]
    [InlineData("FROM busybox\nFOO bar\n", "dockerfile parse error line 2: unknown instruction: FOO")]
    [InlineData("FROM busybox\n\nCOPY onlyone\n", "dockerfile parse error line 3: COPY requires at least two arguments")]
    [InlineData("RUN echo\n", "dockerfile parse error line 1: no build stage in current context")]
    [InlineData("FROM a b\n", "dockerfile parse error line 1: FROM requires either one or three arguments")]
    [InlineData("FROM a AS 1x\n", "invalid name for build stage")]
    [InlineData("FROM busybox\nSHELL sh -c\n", "line 2: SHELL requires the arguments to be in JSON form")]
    [InlineData("FROM busybox\nCOPY --bogus=1 a b\n", "line 2: Unknown flag: bogus")]
    [InlineData("FROM busybox\nONBUILD ONBUILD RUN x\n", "Chaining ONBUILD")]
    [InlineData("FROM busybox\nLABEL novalue\n", "line 2: Syntax error - can't find = in \"novalue\"")]
    [InlineData("FROM busybox\nHEALTHCHECK BOGUS x\n", "line 2: Unknown type \"BOGUS\" in HEALTHCHECK (try CMD)")]
    [InlineData("FROM busybox\nRUN <<EOF\necho\n", "line 2: unterminated heredoc EOF")]
    [InlineData("FROM a AS x\nFROM b AS X\n", "line 2: duplicate name x")]
    [InlineData("# escape=x\nFROM a\n", "invalid ESCAPE")]
    [InlineData("\n# just a comment\n", "cannot be empty")]
    public void ErrorsNameTheLine(string text, string expected)
    {
        var e = Assert.Throws<WharfException>(() => DockerfileParser.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountsEveryInstructionForSteps()
    {
        var df = DockerfileParser.Parse("ARG X\nFROM busybox AS a\nRUN true\nFROM a\nCMD x\n");
        Assert.Equal(5, df.Instructions.Count);
    }
}
