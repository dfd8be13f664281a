using Wharf.Core.Containers.Spec;
using Wharf.Oci.Runtime;

namespace Wharf.Runtime.Tests;

public sealed class PrivilegedTests
{
    private static readonly LinuxDevice HostNull = new() { Path = "/dev/null", Type = "c", Major = 1, Minor = 3, FileMode = 438, Uid = 0, Gid = 0 };

    private static RuntimeSpec Privileged(Func<Wharf.Core.Containers.Spec.ContainerSpecRequest, Wharf.Core.Containers.Spec.ContainerSpecRequest>? edit = null) =>
        Specs.Build(
            Specs.Request(r => edit is null ? r with { Privileged = true } : edit(r with { Privileged = true })),
            host: Specs.Host with { HostDevices = [HostNull], DefaultAppArmorProfile = "docker-default" });

    [Fact]
    public void GetsEveryCapabilityNoSeccompNoMaskedOrReadonlyPaths()
    {
        var spec = Privileged();
        Assert.Equal(41, spec.Process!.Capabilities!.Bounding!.Count);
        Assert.Null(spec.Linux!.Seccomp);
        Assert.Null(spec.Linux.MaskedPaths);
        Assert.Null(spec.Linux.ReadonlyPaths);
        Assert.Equal("unconfined", spec.Process.ApparmorProfile);
    }

    [Fact]
    public void GetsHostDevicesAndAllowAllRule()
    {
        var spec = Privileged();
        Assert.Equal([HostNull], spec.Linux!.Devices);
        var rule = Assert.Single(spec.Linux.Resources!.Devices!);
        Assert.True(rule.Allow);
        Assert.Equal("rwm", rule.Access);
        Assert.Null(rule.Type);
    }

    [Fact]
    public void SysAndCgroupMountsAreWritable()
    {
        var mounts = Privileged().Mounts!;
        Assert.DoesNotContain("ro", mounts.Single(m => m.Destination == "/sys").Options!);
        Assert.DoesNotContain("ro", mounts.Single(m => m.Destination == "/sys/fs/cgroup").Options!);
    }

    [Fact]
    public void ExplicitMaskedPathsStillApply()
    {
        var spec = Privileged(r => r with { MaskedPaths = ["/proc/kcore"] });
        Assert.Equal(["/proc/kcore"], spec.Linux!.MaskedPaths);
    }
}
