namespace Wharf.Volumes.Tests;

public sealed class NamesAndOptionsTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("my-vol_1.x")]
    [InlineData("0a")]
    public void AcceptsDockerNames(string name) => Assert.Null(VolumeNames.Problem(name));

    [Theory]
    [InlineData("bad/name", "\"bad/name\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData("a", "volume name is too short, names should be at least two alphanumeric characters")]
    [InlineData("..", "\"..\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData(".tmp-x", "\".tmp-x\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData("-x", "\"-x\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    [InlineData("a\"b", "\"a\\\"b\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path")]
    public void RefusesWhatDockerRefuses(string name, string message) => Assert.Equal(message, VolumeNames.Problem(name));

    [Fact]
    public void AnonymousNamesAre64Hex()
    {
        var a = VolumeNames.NewAnonymous();
        Assert.Matches("^[0-9a-f]{64}$", a);
        Assert.NotEqual(a, VolumeNames.NewAnonymous());
        Assert.Null(VolumeNames.Problem(a));
    }

    [Theory]
    [InlineData("foo=bar", "invalid option: \"foo\"")]
    [InlineData("type=tmpfs", "missing required option: \"device\"")]
    [InlineData("device=tmpfs", "missing required option: \"type\"")]
    [InlineData("o=size=1m", "missing required option: \"device\"")]
    [InlineData("size=10m", "quota size requested but no quota support")]
    [InlineData("size=ten", "invalid size: 'ten'")]
    public void RefusesBadDriverOptions(string option, string message)
    {
        var eq = option.IndexOf('=', StringComparison.Ordinal);
        Assert.Equal(message, LocalDriverOptions.Problem(new Dictionary<string, string> { [option[..eq]] = option[(eq + 1)..] }));
    }

    [Fact]
    public void AcceptsTmpfsAndBindDevices()
    {
        Assert.Null(LocalDriverOptions.Problem(new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs", ["o"] = "size=1m" }));
        Assert.Null(LocalDriverOptions.Problem(new Dictionary<string, string> { ["type"] = "none", ["device"] = "/srv", ["o"] = "bind" }));
        Assert.Null(LocalDriverOptions.Problem(new Dictionary<string, string> { ["size"] = "0" }));
        Assert.True(LocalDriverOptions.NeedsMount(new Dictionary<string, string> { ["type"] = "tmpfs", ["device"] = "tmpfs" }));
        Assert.False(LocalDriverOptions.NeedsMount(new Dictionary<string, string>()));
        Assert.False(LocalDriverOptions.NeedsMount(null));
    }

    [Theory]
    [InlineData("size=1m", Wharf.Linux.MountFlags.None, "size=1m")]
    [InlineData("bind,ro", Wharf.Linux.MountFlags.Bind | Wharf.Linux.MountFlags.ReadOnly, "")]
    [InlineData("rbind,rshared,nosuid", Wharf.Linux.MountFlags.Bind | Wharf.Linux.MountFlags.Recursive | Wharf.Linux.MountFlags.Shared | Wharf.Linux.MountFlags.NoSuid, "")]
    [InlineData("ro,rw,uid=1000,mode=0700", Wharf.Linux.MountFlags.None, "uid=1000,mode=0700")]
    [InlineData("noexec,exec,defaults", Wharf.Linux.MountFlags.None, "")]
    public void MountOptionsSplitIntoFlagsAndData(string o, Wharf.Linux.MountFlags flags, string data)
        => Assert.Equal((flags, data), MountOptions.Parse(o));
}
