using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Commands;

namespace Wharf.Cli.Tests;

public sealed class MountFlagTests
{
    private static string Abs(string p) => "/cwd/" + p.TrimStart('.', '/');

    private static JsonObject Build(params string[] args)
    {
        var (flags, rest) = ArgParser.Parse(ContainerOptions.Flags, args, interspersed: false);
        return ContainerOptions.BuildCreateBody(flags, rest[0], rest.Skip(1).ToList(), _ => null, _ => [], attachStdio: false);
    }

    [Fact]
    public void MountFieldsBecomeHostConfigMounts()
    {
        var m = MountFlag.Parse("type=volume,src=data,dst=/srv,volume-nocopy,volume-label=a=b,volume-driver=local,volume-opt=type=tmpfs,readonly=false", Abs);
        Assert.Equal("""{"Type":"volume","Source":"data","Target":"/srv","VolumeOptions":{"NoCopy":true,"Labels":{"a":"b"},"DriverConfig":{"Name":"local","Options":{"type":"tmpfs"}}},"ReadOnly":false}""", m.ToJsonString());
        var b = MountFlag.Parse("type=bind,source=./rel,target=/x,ro,bind-propagation=rslave,bind-recursive=disabled", Abs);
        Assert.Equal("""{"Type":"bind","Source":"/cwd/rel","Target":"/x","ReadOnly":true,"BindOptions":{"Propagation":"rslave","NonRecursive":true}}""", b.ToJsonString());
        var t = MountFlag.Parse("type=tmpfs,destination=/t,tmpfs-size=1m,tmpfs-mode=1770", Abs);
        Assert.Equal("""{"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":1048576,"Mode":1016}}""", t.ToJsonString());
        Assert.Equal("volume", MountFlag.Parse("dst=/d", Abs)["Type"]!.GetValue<string>());
        Assert.Equal("/a,b", MountFlag.Parse("type=bind,\"src=/a,b\",dst=/x", Abs)["Source"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "value is empty")]
    [InlineData("type=bind,bogus=1", "unknown option 'bogus' in 'bogus=1'")]
    [InlineData("type=bind,src", "invalid field 'src' must be a key=value pair")]
    [InlineData("type=bind,src=", "invalid value for 'src': value is empty")]
    [InlineData("type=volume,bind-propagation=shared", "cannot mix 'bind-*' options with mount type 'volume'")]
    [InlineData("type=bind,tmpfs-size=1m", "cannot mix 'tmpfs-*' options with mount type 'bind'")]
    [InlineData("type=tmpfs,tmpfs-mode=99", "invalid value for tmpfs-mode: 99")]
    [InlineData("type=tmpfs,readonly=maybe", "invalid value for 'readonly': invalid boolean value (\"maybe\"): must be one of \"true\", \"1\", \"false\", or \"0\" (default \"true\")")]
    [InlineData("type=bind,bind-recursive=readonly,src=/a,dst=/b", "option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction")]
    [InlineData("type=bind,bind-nonrecursive", "bind-nonrecursive is deprecated, use bind-recursive=disabled instead")]
    public void BadMountsAreUsageErrors(string value, string reason)
    {
        var e = Assert.Throws<UsageException>(() => MountFlag.Parse(value, Abs));
        Assert.Equal($"invalid argument \"{value}\" for \"--mount\" flag: {reason}", e.Message);
        Assert.Equal(125, e.ExitCode);
    }

    [Theory]
    [InlineData("/data", null)]
    [InlineData("ab", null)]
    [InlineData("vol:/data", "vol:/data")]
    [InlineData("vol:/data:ro,nocopy", "vol:/data:ro,nocopy")]
    [InlineData("/h:/c:ro", "/h:/c:ro")]
    [InlineData("./h:/c", "/cwd/h:/c")]
    public void VolumeSpecs(string spec, string? bind) => Assert.Equal(bind, MountFlag.ParseVolume(spec, Abs));

    [Theory]
    [InlineData("a::b", "invalid spec: a::b: empty section between colons")]
    [InlineData("a:/b:ro:x", "invalid spec: a:/b:ro:x: too many colons")]
    public void BadVolumeSpecs(string spec, string message)
    {
        var e = Assert.Throws<CliErrorException>(() => MountFlag.ParseVolume(spec, Abs));
        Assert.Equal((message, 125), (e.Message, e.ExitCode));
    }

    [Fact]
    public void RunFlagsFillBindsVolumesMountsAndVolumesFrom()
    {
        var body = Build("-v", "named:/n", "-v", "/anon", "-v", "/anon", "--mount", "type=tmpfs,dst=/t", "--volumes-from", "c1:ro", "--volume-driver", "local", "busybox");
        Assert.Equal("""["named:/n"]""", body["HostConfig"]!["Binds"]!.ToJsonString());
        Assert.Equal("""{"/anon":{}}""", body["Volumes"]!.ToJsonString());
        Assert.Equal("""[{"Type":"tmpfs","Target":"/t"}]""", body["HostConfig"]!["Mounts"]!.ToJsonString());
        Assert.Equal("""["c1:ro"]""", body["HostConfig"]!["VolumesFrom"]!.ToJsonString());
        Assert.Equal("local", body["HostConfig"]!["VolumeDriver"]!.GetValue<string>());
    }

    [Fact]
    public void VolumeNamesSortNaturally()
    {
        string[] names = ["vol-10", "vol-2", "vol-1", "a", "vol-02", "vol-x", "vol1"];
        Assert.Equal(["a", "vol1", "vol-1", "vol-2", "vol-02", "vol-10", "vol-x"], names.Order(Comparer<string>.Create(VolumeRows.NaturalCompare)));
    }
}
