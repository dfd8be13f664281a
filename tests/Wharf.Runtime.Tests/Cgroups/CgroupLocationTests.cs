using Wharf.Runtime.Cgroups;

namespace Wharf.Runtime.Tests.Cgroups;

public sealed class CgroupLocationTests
{
    [Fact]
    public void HybridHostUsesTheV1ControllersAndKeepsTheUnifiedPath()
    {
        var id = CgroupFixture.Read("v1-hybrid", "container-id").Trim();
        var loc = CgroupLocation.Parse(CgroupFixture.Read("v1-hybrid", "proc/PID/cgroup"), CgroupFixture.Read("v1-hybrid", "proc/self-mountinfo"))!;

        Assert.False(loc.IsV2);
        Assert.Equal($"/sys/fs/cgroup/memory/wharf-st-man/{id}", loc.Controller("memory"));
        Assert.Equal($"/sys/fs/cgroup/cpuacct/wharf-st-man/{id}", loc.Controller("cpuacct"));
        Assert.Equal($"/sys/fs/cgroup/pids/wharf-st-man/{id}", loc.Controller("pids"));
        Assert.Equal($"/sys/fs/cgroup/unified/wharf-st-man/{id}", loc.Unified);
        Assert.Equal("/sys/fs/cgroup/memory", loc.V1Roots["memory"]);
    }

    [Fact]
    public void PureV2HostWithTheSystemdDriver()
    {
        var id = CgroupFixture.Read("v2-systemd", "container-id").Trim();
        var loc = CgroupLocation.Parse(CgroupFixture.Read("v2-systemd", "proc/PID/cgroup"), CgroupFixture.Read("v2-systemd", "proc/self-mountinfo"))!;

        Assert.True(loc.IsV2);
        Assert.Empty(loc.V1);
        Assert.Equal($"/sys/fs/cgroup/system.slice/docker-{id}.scope", loc.Unified);
        Assert.Equal("/sys/fs/cgroup", loc.UnifiedRoot);
    }

    [Fact]
    public void CombinedControllersAndABindMountedSubtreeResolveRelativeToTheMountRoot()
    {
        const string mounts = """
            40 30 0:40 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
            41 30 0:41 /outer /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            42 30 0:42 / /mnt/my\040cgroups rw,relatime - cgroup cgroup rw,pids
            """;
        const string cgroup = """
            5:cpu,cpuacct:/docker/abc
            4:memory:/outer/docker/abc
            3:pids:/docker/abc
            2:blkio:/docker/abc
            """;

        var loc = CgroupLocation.Parse(cgroup, mounts)!;

        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct/docker/abc", loc.Controller("cpu"));
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct/docker/abc", loc.Controller("cpuacct"));
        Assert.Equal("/sys/fs/cgroup/memory/docker/abc", loc.Controller("memory"));
        Assert.Equal("/mnt/my cgroups/docker/abc", loc.Controller("pids"));
        Assert.Null(loc.Controller("blkio"));
        Assert.False(loc.IsV2);
    }

    [Fact]
    public void APathOutsideTheMountRootIsNotGuessed()
    {
        var loc = CgroupLocation.Parse("4:memory:/elsewhere/abc\n", "41 30 0:41 /outer /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");

        Assert.Null(loc);
    }

    [Fact]
    public void NoCgroupMountsMeansNoLocation()
    {
        Assert.Null(CgroupLocation.Parse("0::/x\n", "22 1 0:21 / /proc rw - proc proc rw\n"));
    }
}
