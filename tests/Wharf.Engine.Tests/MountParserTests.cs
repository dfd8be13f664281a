using Wharf.Core.Containers.Mounts;
using Wharf.Core.Errors;
using Wharf.Engine.Containers;

namespace Wharf.Engine.Tests;

/// <summary>Docker's -v/--mount/--volumes-from parsing; messages are dockerd's (see tests/golden/dockerd-20.10/volumes/errors).</summary>
public sealed class MountParserTests
{
    [Fact]
    public void NamedVolumeBind()
    {
        var d = MountParser.ParseBind("data:/srv/data/", "");
        Assert.Equal(("volume", "data", "/srv/data", "", true, true, ""), (d.Type, d.Name, d.Destination, d.Mode, d.RW, d.CopyData, d.Propagation));
    }

    [Fact]
    public void HostBindWithModes()
    {
        var d = MountParser.ParseBind("/host/../srv:/x:ro,rshared", "");
        Assert.Equal(("bind", "/srv", "/x", "ro,rshared", false, "rshared"), (d.Type, d.Source, d.Destination, d.Mode, d.RW, d.Propagation));
        Assert.False(d.SkipMountpointCreation);
        Assert.Equal("rprivate", MountParser.ParseBind("/a:/b", "").Propagation);
    }

    [Fact]
    public void AnonymousAndNocopyAndDriver()
    {
        var anon = MountParser.ParseBind("/cache", "");
        Assert.Equal(("volume", "", "/cache", true), (anon.Type, anon.Name, anon.Destination, anon.RW));
        var nocopy = MountParser.ParseBind("v1:/x:ro,nocopy", "mydriver");
        Assert.Equal((false, false, "mydriver", "ro,nocopy"), (nocopy.CopyData, nocopy.RW, nocopy.Driver, nocopy.Mode));
    }

    [Theory]
    [InlineData(":/b", "invalid volume specification: ':/b'")]
    [InlineData("a:/b:ro:x", "invalid volume specification: 'a:/b:ro:x'")]
    [InlineData("/x:ro", "invalid volume specification: '/x:ro'")]
    [InlineData("v:/x:bogus", "invalid mode: bogus")]
    [InlineData("v:/x:ro,rw", "invalid mode: ro,rw")]
    [InlineData("golden-vol:rel", "invalid volume specification: 'golden-vol:rel': invalid mount config for type \"volume\": invalid mount path: 'rel' mount path must be absolute")]
    [InlineData("golden-vol:/", "invalid volume specification: 'golden-vol:/': invalid mount config for type \"volume\": invalid specification: destination can't be '/'")]
    [InlineData("/a:/b:nocopy", "invalid volume specification: '/a:/b:nocopy': invalid mount config for type \"bind\": field VolumeOptions must not be specified")]
    [InlineData("v:/b:rshared", "invalid volume specification: 'v:/b:rshared': invalid mount config for type \"volume\": field BindOptions must not be specified")]
    public void BadBinds(string raw, string message)
    {
        var e = Assert.Throws<WharfException>(() => MountParser.ParseBind(raw, ""));
        Assert.Equal((ErrorKind.InvalidArgument, message), (e.Kind, e.Message));
    }

    public static TheoryData<MountSpec, string> BadMounts() => new()
    {
        { new MountSpec { Type = "volume", Source = "v" }, "invalid mount config for type \"volume\": field Target must not be empty" },
        { new MountSpec { Type = "bind", Source = "/exists", Target = "rel" }, "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute" },
        { new MountSpec { Type = "bind", Source = "/nope", Target = "/x" }, "invalid mount config for type \"bind\": bind source path does not exist: /nope" },
        { new MountSpec { Type = "bind", Target = "/x" }, "invalid mount config for type \"bind\": field Source must not be empty" },
        { new MountSpec { Type = "bind", Source = "rel", Target = "/x" }, "invalid mount config for type \"bind\": invalid mount path: 'rel' mount path must be absolute" },
        { new MountSpec { Type = "bind", Source = "/exists", Target = "/x", BindOptions = new MountBindSpec { Propagation = "bogus" } }, "invalid mount config for type \"bind\": invalid propagation mode: bogus" },
        { new MountSpec { Type = "bind", Source = "/exists", Target = "/x", VolumeOptions = new MountVolumeSpec() }, "invalid mount config for type \"bind\": field VolumeOptions must not be specified" },
        { new MountSpec { Type = "volume", Target = "/x", BindOptions = new MountBindSpec() }, "invalid mount config for type \"volume\": field BindOptions must not be specified" },
        { new MountSpec { Type = "volume", Target = "/x", ReadOnly = true }, "invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes" },
        { new MountSpec { Type = "volume", Target = "/x", VolumeOptions = new MountVolumeSpec { Subpath = "a" } }, "invalid mount config for type \"volume\": must not set Subpath when using anonymous volumes" },
        { new MountSpec { Type = "volume", Source = "v", Target = "/x", VolumeOptions = new MountVolumeSpec { Subpath = "../up" } }, "invalid mount config for type \"volume\": subpath must be a relative path within the volume" },
        { new MountSpec { Type = "tmpfs", Source = "/x", Target = "/y" }, "invalid mount config for type \"tmpfs\": field Source must not be specified" },
        { new MountSpec { Type = "tmpfs", Target = "/y", TmpfsOptions = new MountTmpfsSpec { Options = [["nosuid"]] } }, "invalid mount config for type \"tmpfs\": invalid option: nosuid" },
        { new MountSpec { Type = "bogus", Target = "/x" }, "invalid mount config for type \"bogus\": mount type unknown" },
    };

    [Theory]
    [MemberData(nameof(BadMounts))]
    public void BadMountSpecs(MountSpec spec, string message)
    {
        var e = Assert.Throws<WharfException>(() => MountParser.Validate(spec, p => p == "/exists"));
        Assert.Equal((ErrorKind.InvalidArgument, message), (e.Kind, e.Message));
    }

    [Fact]
    public void MountSpecs()
    {
        var bind = MountParser.ParseMount(new MountSpec { Type = "bind", Source = "/srv/", Target = "/b/", ReadOnly = true, BindOptions = new MountBindSpec { Propagation = "slave", NonRecursive = true } });
        Assert.Equal(("/srv", "/b", false, "slave", true, true, ""), (bind.Source, bind.Destination, bind.RW, bind.Propagation, bind.NonRecursive, bind.SkipMountpointCreation, bind.Mode));
        var created = MountParser.ParseMount(new MountSpec { Type = "bind", Source = "/srv", Target = "/b", BindOptions = new MountBindSpec { CreateMountpoint = true } });
        Assert.False(created.SkipMountpointCreation);
        MountParser.Validate(new MountSpec { Type = "bind", Source = "/missing", Target = "/b", BindOptions = new MountBindSpec { CreateMountpoint = true } }, _ => false);

        var volume = MountParser.ParseMount(new MountSpec { Type = "volume", Source = "v", Target = "/v", VolumeOptions = new MountVolumeSpec { NoCopy = true, Labels = new Dictionary<string, string> { ["a"] = "b" }, DriverName = "local", DriverOptions = new Dictionary<string, string> { ["type"] = "tmpfs" } } });
        Assert.Equal(("v", false, "local", "b", "tmpfs"), (volume.Name, volume.CopyData, volume.Driver, volume.VolumeLabels!["a"], volume.DriverOptions!["type"]));

        var tmpfs = MountParser.ParseMount(new MountSpec { Type = "tmpfs", Target = "/t", ReadOnly = true, TmpfsOptions = new MountTmpfsSpec { SizeBytes = 1048576, Mode = 1023, Options = [["exec"]] } });
        Assert.Equal("ro,mode=1777,size=1m,exec", tmpfs.TmpfsOptions);
    }

    [Theory]
    [InlineData(0L, 0u, "")]
    [InlineData(1536L, 0u, "size=1536")]
    [InlineData(3L << 30, 448u, "mode=700,size=3g")]
    [InlineData(2048L, 0u, "size=2k")]
    public void TmpfsOptions(long size, uint mode, string expected)
        => Assert.Equal(expected, MountParser.ConvertTmpfsOptions(new MountTmpfsSpec { SizeBytes = size, Mode = mode }, readOnly: false));

    [Theory]
    [InlineData("c1", "c1", "rw")]
    [InlineData("c1:ro", "c1", "ro")]
    [InlineData("c1:", "c1", "rw")]
    [InlineData("c1:z", "c1", "z")]
    public void VolumesFrom(string spec, string container, string mode) => Assert.Equal((container, mode), MountParser.ParseVolumesFrom(spec));

    [Theory]
    [InlineData("", "volumes-from specification cannot be an empty string")]
    [InlineData("c1:bogus", "invalid mode: bogus")]
    [InlineData("c1:rshared", "invalid mode: rshared")]
    [InlineData("c1:nocopy", "invalid mode: nocopy")]
    public void BadVolumesFrom(string spec, string message)
        => Assert.Equal(message, Assert.Throws<WharfException>(() => MountParser.ParseVolumesFrom(spec)).Message);

    [Theory]
    [InlineData("/a/b/../c/", "/a/c")]
    [InlineData("/../..", "/")]
    [InlineData("a//b/.", "a/b")]
    [InlineData("../a", "../a")]
    [InlineData("", ".")]
    public void CleanPathIsGos(string path, string clean) => Assert.Equal(clean, MountParser.CleanPath(path));
}
