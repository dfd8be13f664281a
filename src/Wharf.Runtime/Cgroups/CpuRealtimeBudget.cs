using System.Globalization;

namespace Wharf.Runtime.Cgroups;

/// <summary>
/// The daemon-scoped real-time budget (dockerd's <c>--cpu-rt-period</c>/<c>--cpu-rt-runtime</c>).
/// On cgroup v1 a group may hand its tasks only as much real-time runtime as its parent has, and
/// a new group starts with none, so before runc creates a container's group the chain of parents
/// from the hierarchy's root down gets the daemon's values (moby initCPURtController).
/// </summary>
public static class CpuRealtimeBudget
{
    /// <summary>dockerd's start-up check (validateCPURealtimeOptions); null when the settings can be used.</summary>
    public static string? CheckDaemonSettings(long period, long runtime)
    {
        if (period == 0 && runtime == 0)
        {
            return null;
        }
        var root = CpuRoot();
        if (root is null)
        {
            return File.Exists("/sys/fs/cgroup/cgroup.controllers")
                ? "daemon-scoped cpu-rt-period and cpu-rt-runtime are not implemented for cgroup v2"
                : "daemon-scoped cpu-rt-period and cpu-rt-runtime are not supported by the kernel";
        }
        return File.Exists(Path.Combine(root, "cpu.rt_period_us"))
            ? null
            : "daemon-scoped cpu-rt-period and cpu-rt-runtime are not supported by the kernel";
    }

    /// <summary>
    /// Creates the parents of <paramref name="cgroupsPath"/> (a cgroupfs path such as
    /// <c>/wharf/ID</c>) in the cpu hierarchy and writes the period, then the runtime, into each,
    /// top down. Nothing happens when both values are 0.
    /// </summary>
    public static void PrepareParents(string cgroupsPath, long period, long runtime)
    {
        ArgumentNullException.ThrowIfNull(cgroupsPath);
        if (period == 0 && runtime == 0)
        {
            return;
        }
        var root = CpuRoot() ?? throw new IOException("the cpu cgroup controller is not mounted");
        var parent = Path.GetDirectoryName(cgroupsPath.TrimEnd('/')) ?? "/";
        var dir = root;
        foreach (var part in parent.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part is "." or "..")
            {
                throw new IOException($"invalid cgroup path {cgroupsPath}");
            }
            dir = Path.Combine(dir, part);
            Directory.CreateDirectory(dir);
            Write(dir, "cpu.rt_period_us", period);
            Write(dir, "cpu.rt_runtime_us", runtime);
        }
    }

    private static void Write(string dir, string file, long value)
    {
        if (value != 0)
        {
            File.WriteAllText(Path.Combine(dir, file), value.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The mount point of the v1 hierarchy holding the cpu controller, or null on a v2-only host.</summary>
    private static string? CpuRoot()
    {
        try
        {
            var location = CgroupLocation.Parse(File.ReadAllText("/proc/self/cgroup"), File.ReadAllText("/proc/self/mountinfo"));
            return location?.V1Roots.GetValueOrDefault("cpu");
        }
        catch (IOException)
        {
            return null;
        }
    }
}
