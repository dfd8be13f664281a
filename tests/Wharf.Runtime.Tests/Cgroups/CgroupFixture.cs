using Wharf.Runtime.Cgroups;

namespace Wharf.Runtime.Tests.Cgroups;

/// <summary>
/// Recorded cgroup and /proc files (Fixtures/README.md) laid out at the paths a host would have
/// them, as a <see cref="CgroupFs"/>. The container's init gets PID 4242.
/// </summary>
internal static class CgroupFixture
{
    public const int Pid = 4242;

    public static string Dir(string name) => Path.Combine(Root, name);

    public static string Read(string fixture, string file) => File.ReadAllText(Path.Combine(Root, fixture, file));

    private static string Root { get; } = Find();

    /// <summary>The hybrid host: v1 controllers under /sys/fs/cgroup/CTRL/wharf-st-man/ID, plus the unified mount.</summary>
    public static Dictionary<string, string> V1Hybrid()
    {
        const string name = "v1-hybrid";
        var id = Read(name, "container-id").Trim();
        var files = Proc(name);
        foreach (var controller in new[] { "cpuacct", "cpu", "memory", "pids", "blkio" })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Root, name, controller)))
            {
                files[$"/sys/fs/cgroup/{controller}/wharf-st-man/{id}/{Path.GetFileName(file)}"] = File.ReadAllText(file);
            }
        }

        // The hierarchy roots, as this host has them (for the host-info probe).
        files["/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"] = "9223372036854771712\n";
        files["/sys/fs/cgroup/memory/memory.kmem.limit_in_bytes"] = "9223372036854771712\n";
        files["/sys/fs/cgroup/cpu/cpu.rt_period_us"] = "1000000\n";
        files["/sys/fs/cgroup/cpuset/cpuset.cpus"] = "0-1\n";
        files["/sys/fs/cgroup/cpuset/cpuset.mems"] = "0\n";
        return files;
    }

    /// <summary>The pure v2 host with the systemd driver: /sys/fs/cgroup/system.slice/docker-ID.scope.</summary>
    public static Dictionary<string, string> V2Systemd()
    {
        const string name = "v2-systemd";
        var id = Read(name, "container-id").Trim();
        var files = Proc(name);
        var dir = $"/sys/fs/cgroup/system.slice/docker-{id}.scope";
        foreach (var file in Directory.GetFiles(Path.Combine(Root, name, "container")))
        {
            files[dir + "/" + Path.GetFileName(file)] = File.ReadAllText(file);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(Root, name, "root")))
        {
            files["/sys/fs/cgroup/" + Path.GetFileName(file)] = File.ReadAllText(file);
        }

        return files;
    }

    private static Dictionary<string, string> Proc(string name)
    {
        var mountinfo = Read(name, "proc/self-mountinfo");
        var cgroup = Read(name, "proc/PID/cgroup");
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [$"/proc/{Pid}/cgroup"] = cgroup,
            ["/proc/self/cgroup"] = cgroup,
            ["/proc/self/mountinfo"] = mountinfo,
            [$"/proc/{Pid}/net/dev"] = Read(name, "proc/PID/net-dev"),
            ["/proc/stat"] = Read(name, "proc/stat"),
            ["/proc/meminfo"] = Read(name, "proc/meminfo"),
        };
    }

    private static string Find()
    {
        var relative = Path.Combine("tests", "Wharf.Runtime.Tests", "Cgroups", "Fixtures");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(relative + " not found above " + AppContext.BaseDirectory);
    }
}
