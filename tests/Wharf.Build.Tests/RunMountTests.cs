using Wharf.Core.Errors;

namespace Wharf.Build.Tests;

public sealed class RunMountTests
{
    private static RunMount Parse(string value) => RunMount.Parse(value, v => v.Replace("$V", "x", StringComparison.Ordinal));

    [Fact]
    public void CacheMountsAreWritableAndNamedByTargetUnlessGivenAnId()
    {
        var m = Parse("type=cache,target=/root/.cache");
        Assert.Equal(("cache", "/root/.cache", "/root/.cache", false, "shared"), (m.Type, m.Target, m.Id, m.ReadOnly, m.Sharing));
        var named = Parse("type=cache,id=go-$V,dst=/go,sharing=locked,mode=0700,uid=10,gid=20,ro");
        Assert.Equal(("go-x", "/go", "locked", true), (named.Id, named.Target, named.Sharing, named.ReadOnly));
        Assert.Equal((UnixFileMode)0b111_000_000, named.Mode);
        Assert.Equal((10, 20), (named.Uid!.Value, named.Gid!.Value));
    }

    [Fact]
    public void BindIsTheDefaultTypeAndReadOnlyUnlessRw()
    {
        var m = Parse("target=/src,source=app");
        Assert.Equal(("bind", "app", true), (m.Type, m.Source, m.ReadOnly));
        Assert.False(Parse("type=bind,target=/src,rw").ReadOnly);
        Assert.False(Parse("type=bind,target=/src,readwrite=true").ReadOnly);
        Assert.Equal("build", Parse("type=bind,from=build,src=/out,target=/in").From);
    }

    [Fact]
    public void SecretsDefaultToRunSecretsAndTmpfsTakesASize()
    {
        var s = Parse("type=secret,id=token");
        Assert.Equal(("/run/secrets/token", false), (s.Target, s.Required));
        var named = Parse("type=secret,target=/etc/key.pem,required,env=KEY");
        Assert.Equal(("key.pem", true, "KEY"), (named.Id, named.Required, named.Env));
        Assert.Equal(64L << 20, Parse("type=tmpfs,target=/t,size=64m").Size);
        Assert.Equal(1000, Parse("\"type=tmpfs\",\"target=/t\",size=1000").Size);
    }

    [Theory]
    [InlineData("type=volume,target=/v")]
    [InlineData("type=cache")]
    [InlineData("type=cache,target=/c,bogus=1")]
    [InlineData("type=cache,target=/c,sharing=sometimes")]
    [InlineData("type=tmpfs,target=/t,size=lots")]
    [InlineData("type=cache,target=/c,uid=me")]
    [InlineData("type=secret")]
    public void BadMountsAreInvalidArguments(string value)
        => Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<WharfException>(() => Parse(value)).Kind);

    [Fact]
    public void StagesBoundByRunMountsAreNeeded()
    {
        var df = Parsing.DockerfileParser.Parse("FROM busybox AS gen\nFROM busybox AS other\nFROM busybox\nRUN --mount=type=bind,from=gen,target=/g true\n");
        Assert.Equal([0, 2], BuildService.NeededStages(df, df.Stages[2]));
    }
}
