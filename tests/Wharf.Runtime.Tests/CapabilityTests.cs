using Wharf.Core.Containers.Spec;
using Wharf.Core.Errors;
using Wharf.Runtime.Spec;

namespace Wharf.Runtime.Tests;

public sealed class CapabilityTests
{
    private static readonly string[] DockerDefault =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    [Fact]
    public void DefaultIsDockersFourteenInBoundingEffectivePermitted()
    {
        var caps = Specs.Build().Process!.Capabilities!;
        Assert.Equal(DockerDefault, caps.Bounding);
        Assert.Equal(DockerDefault, caps.Effective);
        Assert.Equal(DockerDefault, caps.Permitted);
        Assert.Null(caps.Inheritable);
        Assert.Null(caps.Ambient);
        Assert.Equal(0xa80425fbUL, Capabilities.Mask(caps.Bounding!));
    }

    [Fact]
    public void AddAndDropAcceptBothSpellings()
    {
        var caps = Specs.Build(r => r with { CapAdd = ["sys_admin", "CAP_NET_ADMIN"], CapDrop = ["mknod", "CAP_NET_RAW"] })
            .Process!.Capabilities!.Bounding!;
        Assert.Contains("CAP_SYS_ADMIN", caps);
        Assert.Contains("CAP_NET_ADMIN", caps);
        Assert.DoesNotContain("CAP_MKNOD", caps);
        Assert.DoesNotContain("CAP_NET_RAW", caps);
        Assert.Equal(14, caps.Count);
    }

    [Fact]
    public void DropAllKeepsOnlyAdds()
    {
        var caps = Specs.Build(r => r with { CapDrop = ["ALL"], CapAdd = ["chown"] }).Process!.Capabilities!;
        Assert.Equal(["CAP_CHOWN"], caps.Bounding);
    }

    [Fact]
    public void DropAllWithoutAddsOmitsTheSets()
    {
        var caps = Specs.Build(r => r with { CapDrop = ["all"] }).Process!.Capabilities!;
        Assert.Null(caps.Bounding);
        Assert.Null(caps.Effective);
    }

    [Fact]
    public void AddAllGivesEveryKernelCapabilityMinusDrops()
    {
        var caps = Specs.Build(r => r with { CapAdd = ["ALL"], CapDrop = ["SYS_ADMIN"] }).Process!.Capabilities!.Bounding!;
        Assert.Equal(40, caps.Count);
        Assert.DoesNotContain("CAP_SYS_ADMIN", caps);
        Assert.Contains("CAP_CHECKPOINT_RESTORE", caps);
    }

    [Fact]
    public void UnknownCapabilityIsDockersError()
    {
        var e = Assert.Throws<WharfException>(() => Specs.Build(r => r with { CapAdd = ["FLY"] }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("unknown capability: \"CAP_FLY\"", e.Message);
    }

    [Fact]
    public void CapabilityBeyondKernelIsRejected()
    {
        var oldKernel = Specs.Host with { CapLastCap = 37 };
        var e = Assert.Throws<WharfException>(() => Specs.Build(Specs.Request(r => r with { CapAdd = ["BPF"] }), host: oldKernel));
        Assert.Equal("capability not supported by your kernel or not available in the current environment: \"CAP_BPF\"", e.Message);
    }
}
