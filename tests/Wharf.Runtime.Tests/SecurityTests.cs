using Wharf.Core.Errors;
using Wharf.Oci.Runtime;

namespace Wharf.Runtime.Tests;

public sealed class SecurityTests
{
    [Fact]
    public void DefaultSeccompDeniesWithEpermAndCoversAmd64Arches()
    {
        var seccomp = Specs.Build().Linux!.Seccomp!;
        Assert.Equal("SCMP_ACT_ERRNO", seccomp.DefaultAction);
        Assert.Equal(1u, seccomp.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], seccomp.Architectures);
        var allowed = AllowedNames(seccomp);
        Assert.Contains("read", allowed);
        Assert.Contains("execve", allowed);
        Assert.Contains("arch_prctl", allowed);
        Assert.DoesNotContain("set_tls", allowed);
        Assert.Contains("chroot", allowed); // CAP_SYS_CHROOT is in the default set
        Assert.Contains("ptrace", allowed); // kernel >= 4.8
    }

    [Fact]
    public void ArmHostGetsArmArches()
    {
        var spec = Specs.Build(Specs.Request(), host: Specs.Host with { Architecture = "arm64" });
        Assert.Equal(["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], spec.Linux!.Seccomp!.Architectures);
        var allowed = AllowedNames(spec.Linux.Seccomp);
        Assert.Contains("set_tls", allowed);
        Assert.DoesNotContain("arch_prctl", allowed);
    }

    [Fact]
    public void CapabilityGroupsFollowTheBoundingSet()
    {
        var plain = Specs.Build().Linux!.Seccomp!;
        Assert.DoesNotContain("mount", AllowedNames(plain));
        Assert.Contains(plain.Syscalls!, s => s.Names.SequenceEqual(["clone"]) && s.Args is [{ Op: "SCMP_CMP_MASKED_EQ", Value: 0x7E020000 }]);
        Assert.Contains(plain.Syscalls!, s => s.Names.SequenceEqual(["clone3"]) && s.Action == "SCMP_ACT_ERRNO" && s.ErrnoRet == 38);

        var admin = Specs.Build(r => r with { CapAdd = ["SYS_ADMIN"] }).Linux!.Seccomp!;
        Assert.Contains("mount", AllowedNames(admin));
        Assert.Contains("clone", AllowedNames(admin));
        Assert.DoesNotContain(admin.Syscalls!, s => s.Names.Contains("clone") && s.Args is not null);
        Assert.DoesNotContain(admin.Syscalls!, s => s.Action == "SCMP_ACT_ERRNO");

        var noChroot = Specs.Build(r => r with { CapDrop = ["SYS_CHROOT"] }).Linux!.Seccomp!;
        Assert.DoesNotContain("chroot", AllowedNames(noChroot));
    }

    [Fact]
    public void OldKernelLosesMinKernelRule()
    {
        var spec = Specs.Build(Specs.Request(), host: Specs.Host with { KernelVersion = new Version(4, 4) });
        Assert.DoesNotContain("process_vm_readv", AllowedNames(spec.Linux!.Seccomp!));
    }

    [Fact]
    public void UnconfinedRemovesSeccomp()
    {
        Assert.Null(Specs.Build(r => r with { SecurityOpt = ["seccomp=unconfined"] }).Linux!.Seccomp);
    }

    [Fact]
    public void CustomProfileIsResolvedAgainstCaps()
    {
        const string profile = """
            {
              "defaultAction": "SCMP_ACT_ALLOW",
              "architectures": ["SCMP_ARCH_X86_64"],
              "syscalls": [
                { "name": "mkdir", "action": "SCMP_ACT_ERRNO", "errnoRet": 13 },
                { "names": ["reboot"], "action": "SCMP_ACT_ERRNO", "excludes": { "caps": ["CAP_SYS_BOOT"] } },
                { "names": ["bpf"], "action": "SCMP_ACT_ERRNO", "includes": { "caps": ["CAP_BPF"] } }
              ]
            }
            """;
        var seccomp = Specs.Build(r => r with { SecurityOpt = ["seccomp=" + profile] }).Linux!.Seccomp!;
        Assert.Equal("SCMP_ACT_ALLOW", seccomp.DefaultAction);
        Assert.Equal(["SCMP_ARCH_X86_64"], seccomp.Architectures);
        Assert.Equal(2, seccomp.Syscalls!.Count);
        Assert.Equal(["mkdir"], seccomp.Syscalls[0].Names);
        Assert.Equal(13u, seccomp.Syscalls[0].ErrnoRet);
        Assert.Equal(["reboot"], seccomp.Syscalls[1].Names);
    }

    [Fact]
    public void BadProfileIsInvalidArgument()
    {
        var e = Assert.Throws<WharfException>(() => Specs.Build(r => r with { SecurityOpt = ["seccomp={not json"] }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("Decoding seccomp profile failed: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoNewPrivilegesForms()
    {
        Assert.False(Specs.Build().Process!.NoNewPrivileges);
        Assert.True(Specs.Build(r => r with { SecurityOpt = ["no-new-privileges"] }).Process!.NoNewPrivileges);
        Assert.True(Specs.Build(r => r with { SecurityOpt = ["no-new-privileges=true"] }).Process!.NoNewPrivileges);
        Assert.True(Specs.Build(r => r with { SecurityOpt = ["no-new-privileges:true"] }).Process!.NoNewPrivileges);
        Assert.False(Specs.Build(r => r with { SecurityOpt = ["no-new-privileges=false"] }).Process!.NoNewPrivileges);
    }

    [Fact]
    public void BadSecurityOptsUseDockersMessages()
    {
        Assert.Equal("invalid --security-opt 1: \"bogus\"",
            Assert.Throws<WharfException>(() => Specs.Build(r => r with { SecurityOpt = ["bogus"] })).Message);
        Assert.Equal("invalid --security-opt 2: \"foo=bar\"",
            Assert.Throws<WharfException>(() => Specs.Build(r => r with { SecurityOpt = ["foo=bar"] })).Message);
        Assert.Equal("invalid --security-opt 2: \"no-new-privileges=maybe\"",
            Assert.Throws<WharfException>(() => Specs.Build(r => r with { SecurityOpt = ["no-new-privileges=maybe"] })).Message);
    }

    [Fact]
    public void MaskedAndReadonlyPathsDefaultAndOverride()
    {
        var linux = Specs.Build(Specs.Request(), host: Specs.Host with { ExtraMaskedPaths = ["/sys/devices/system/cpu/cpu0/thermal_throttle"] }).Linux!;
        Assert.Contains("/proc/kcore", linux.MaskedPaths!);
        Assert.Contains("/sys/firmware", linux.MaskedPaths!);
        Assert.Equal("/sys/devices/system/cpu/cpu0/thermal_throttle", linux.MaskedPaths![^1]);
        Assert.Equal(["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"], linux.ReadonlyPaths);

        var overridden = Specs.Build(r => r with { MaskedPaths = [], ReadonlyPaths = ["/proc/sys"] }).Linux!;
        Assert.Empty(overridden.MaskedPaths!);
        Assert.Equal(["/proc/sys"], overridden.ReadonlyPaths);
    }

    [Fact]
    public void AppArmorOnlyWhenHostHasIt()
    {
        Assert.Null(Specs.Build().Process!.ApparmorProfile);
        var spec = Specs.Build(Specs.Request(), host: Specs.Host with { DefaultAppArmorProfile = "docker-default" });
        Assert.Equal("docker-default", spec.Process!.ApparmorProfile);
    }

    private static HashSet<string> AllowedNames(LinuxSeccomp seccomp) =>
        seccomp.Syscalls!.Where(s => s.Action == "SCMP_ACT_ALLOW").SelectMany(s => s.Names).ToHashSet();
}
