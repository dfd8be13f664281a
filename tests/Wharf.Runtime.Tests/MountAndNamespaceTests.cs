using Wharf.Core.Containers.Spec;
using Wharf.Core.Errors;
using Wharf.Oci.Runtime;
using Wharf.Runtime.Spec;

namespace Wharf.Runtime.Tests;

public sealed class MountAndNamespaceTests
{
    private static Mount MountAt(RuntimeSpec spec, string destination) => Assert.Single(spec.Mounts!, m => m.Destination == destination);

    [Fact]
    public void DefaultMountsInDockersOrderWithShmSize()
    {
        var spec = Specs.Build();
        Assert.Equal(["/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm"], spec.Mounts!.Select(m => m.Destination));
        Assert.Equal(["nosuid", "noexec", "nodev", "mode=1777", "size=67108864"], MountAt(spec, "/dev/shm").Options);
        Assert.Equal("sysfs", MountAt(spec, "/sys").Type);
        Assert.Contains("ro", MountAt(spec, "/sys").Options!);
        Assert.Contains("ro", MountAt(spec, "/sys/fs/cgroup").Options!);
    }

    [Fact]
    public void ShmSizeIsApplied()
    {
        Assert.Contains("size=1048576", MountAt(Specs.Build(r => r with { ShmSize = 1 << 20 }), "/dev/shm").Options!);
        Assert.Equal("SHM size can not be less than 0", Assert.Throws<WharfException>(() => Specs.Build(r => r with { ShmSize = -1 })).Message);
    }

    [Fact]
    public void IpcNoneDropsShm()
    {
        var spec = Specs.Build(r => r with { IpcMode = NamespaceMode.None });
        Assert.DoesNotContain(spec.Mounts!, m => m.Destination == "/dev/shm");
        Assert.Contains(spec.Linux!.Namespaces!, n => n.Type == "ipc");
    }

    [Fact]
    public void TmpfsMapMergesDockersDefaultsWithUserOptions()
    {
        var spec = Specs.Build(r => r with { Tmpfs = new Dictionary<string, string> { ["/run"] = "exec,size=64m", ["/tmp"] = "" } });
        Assert.Equal(["nosuid", "nodev", "rprivate", "exec", "size=64m"], MountAt(spec, "/run").Options);
        Assert.Equal(["noexec", "nosuid", "nodev", "rprivate"], MountAt(spec, "/tmp").Options);
        Assert.Equal("tmpfs", MountAt(spec, "/tmp").Type);
        var e = Assert.Throws<WharfException>(() => Specs.Build(r => r with { Tmpfs = new Dictionary<string, string> { ["/x"] = "bogus=1" } }));
        Assert.Equal("invalid tmpfs option \"bogus\"", e.Message);
    }

    [Fact]
    public void UserMountsReplaceDefaultsAndSortByDepth()
    {
        var spec = Specs.Build(r => r with
        {
            Mounts =
            [
                new ContainerMount { Destination = "/etc/app/conf.d", Source = "/host/conf.d", Writable = false },
                new ContainerMount { Destination = "/etc/app", Source = "/host/app" },
                new ContainerMount { Destination = "/dev/shm", Source = "/host/shm" },
            ],
        });
        var dests = spec.Mounts!.Select(m => m.Destination).ToList();
        Assert.True(dests.IndexOf("/etc/app") < dests.IndexOf("/etc/app/conf.d"));
        Assert.Equal(["rbind", "ro", "rprivate"], MountAt(spec, "/etc/app/conf.d").Options);
        Assert.Equal(["rbind", "rprivate"], MountAt(spec, "/etc/app").Options);
        Assert.Equal("bind", MountAt(spec, "/dev/shm").Type);
    }

    [Fact]
    public void UserDevMountDropsEverythingUnderDev()
    {
        var spec = Specs.Build(r => r with { Mounts = [new ContainerMount { Destination = "/dev", Source = "/host/dev" }] });
        Assert.DoesNotContain(spec.Mounts!, m => m.Destination.StartsWith("/dev/", StringComparison.Ordinal));
    }

    [Fact]
    public void NetworkFilesAreBoundAndFollowReadonlyRootfs()
    {
        var spec = Specs.Build(r => r with { ResolvConfPath = "/c/resolv.conf", HostsPath = "/c/hosts", HostnamePath = "/c/hostname" });
        Assert.Equal("/c/resolv.conf", MountAt(spec, "/etc/resolv.conf").Source);
        Assert.Equal(["rbind", "rprivate"], MountAt(spec, "/etc/hosts").Options);
        var ro = Specs.Build(r => r with { ReadonlyRootfs = true, HostsPath = "/c/hosts" });
        Assert.Equal(["rbind", "ro", "rprivate"], MountAt(ro, "/etc/hosts").Options);
    }

    [Fact]
    public void ReadonlyRootfsMakesSystemMountsReadOnlyExceptWritableOnes()
    {
        var spec = Specs.Build(r => r with { ReadonlyRootfs = true, Mounts = [new ContainerMount { Destination = "/data", Source = "/host/data" }] });
        Assert.True(spec.Root!.Readonly);
        Assert.DoesNotContain("ro", MountAt(spec, "/proc").Options!);
        Assert.DoesNotContain("ro", MountAt(spec, "/dev").Options!);
        Assert.DoesNotContain("ro", MountAt(spec, "/dev/shm").Options!);
        Assert.DoesNotContain("ro", MountAt(spec, "/dev/mqueue").Options!);
        Assert.DoesNotContain("ro", MountAt(spec, "/data").Options!);
        Assert.Single(MountAt(spec, "/sys").Options!, o => o == "ro");
    }

    [Fact]
    public void DefaultNamespacesAreMountNetworkUtsPidIpc()
    {
        var ns = Specs.Build().Linux!.Namespaces!;
        Assert.Equal(["mount", "network", "uts", "pid", "ipc"], ns.Select(n => n.Type));
        Assert.All(ns, n => Assert.Null(n.Path));
    }

    [Fact]
    public void HostModesRemoveNamespacesAndJoinSetsPath()
    {
        var spec = Specs.Build(r => r with
        {
            NetworkMode = NamespaceMode.Host,
            PidMode = NamespaceMode.Join("/proc/42/ns/pid"),
            IpcMode = NamespaceMode.Host,
            UtsMode = NamespaceMode.Host,
            CgroupnsPrivate = true,
        });
        var ns = spec.Linux!.Namespaces!;
        Assert.Equal(["mount", "pid", "cgroup"], ns.Select(n => n.Type));
        Assert.Equal("/proc/42/ns/pid", ns[1].Path);
        Assert.Null(spec.Hostname);
        Assert.DoesNotContain("net.ipv4.ping_group_range", spec.Linux.Sysctl!.Keys);
    }

    [Fact]
    public void SysctlsNetworkDefaultsDomainAndUserOverrides()
    {
        var sysctl = Specs.Build(r => r with
        {
            Domainname = "example.org",
            Sysctls = new Dictionary<string, string> { ["net.ipv4.ip_unprivileged_port_start"] = "1024", ["kernel.msgmax"] = "65536" },
        }).Linux!.Sysctl!;
        Assert.Equal("0 2147483647", sysctl["net.ipv4.ping_group_range"]);
        Assert.Equal("1024", sysctl["net.ipv4.ip_unprivileged_port_start"]);
        Assert.Equal("example.org", sysctl["kernel.domainname"]);
        Assert.Equal("65536", sysctl["kernel.msgmax"]);
    }

    [Fact]
    public void HostnameDefaultsToShortIdAndConsoleSizeNeedsTty()
    {
        var spec = Specs.Build(r => r with { Tty = true, ConsoleSize = (24, 80) });
        Assert.Equal("0123456789ab", spec.Hostname);
        Assert.Equal(new Box { Height = 24, Width = 80 }, spec.Process!.ConsoleSize);
        Assert.Null(Specs.Build(r => r with { ConsoleSize = (24, 80) }).Process!.ConsoleSize);
    }
}
