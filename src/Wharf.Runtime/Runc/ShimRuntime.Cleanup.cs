using System.Text.Json;

namespace Wharf.Runtime.Runc;

public sealed partial class ShimRuntime
{
    private const string CgroupRoot = "/sys/fs/cgroup";

    /// <summary>
    /// What <c>runc delete</c> or <c>crun delete</c> does for a container whose init has ended,
    /// without a runtime process: remove its (now empty) cgroups, then the runtime's state dir.
    /// Only when the shim has recorded the exit and init is gone, and only for runtimes whose
    /// state files are known; anything unexpected (a cgroup still busy because a process escaped,
    /// unreadable state, a systemd-managed group) leaves the work to the runtime's <c>delete -f</c>.
    /// </summary>
    private static bool TryRemoveEndedState(ContainerPaths paths, RuntimeCommand runtime)
    {
        var stateDir = Path.Combine(runtime.Root, paths.Id);
        if (runtime.FifoStart.Length == 0 || !File.Exists(paths.Exit)
            || (ProcFs.ReadPidFile(paths.InitPid) is { } pid && ProcFs.IsAlive(pid)))
        {
            return false;
        }
        if (!Directory.Exists(stateDir))
        {
            return true;
        }
        try
        {
            var cgroups = runtime.FifoStart == RuntimeCommand.FifoRead ? RuncCgroups(stateDir) : CrunCgroups(stateDir);
            if (cgroups is null)
            {
                return false;
            }
            foreach (var dir in cgroups)
            {
                if (Directory.Exists(dir))
                {
                    // rmdir: the kernel refuses a cgroup that still has processes or children.
                    Directory.Delete(dir, recursive: false);
                }
            }
            Directory.Delete(stateDir, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>runc's <c>state.json</c> lists each hierarchy's directory; null when one is not under the cgroup root.</summary>
    private static List<string>? RuncCgroups(string stateDir)
    {
        using var state = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(stateDir, "state.json")));
        var dirs = new List<string>();
        if (state.RootElement.TryGetProperty("cgroup_paths", out var cgroups) && cgroups.ValueKind == JsonValueKind.Object)
        {
            foreach (var dir in cgroups.EnumerateObject().Select(p => p.Value.GetString()).Distinct(StringComparer.Ordinal))
            {
                if (dir is null || !dir.StartsWith(CgroupRoot + "/", StringComparison.Ordinal) || dir.Contains("/../", StringComparison.Ordinal))
                {
                    return null;
                }
                dirs.Add(dir);
            }
        }
        return dirs;
    }

    /// <summary>
    /// crun's <c>status</c> gives one path relative to every hierarchy: under the cgroup2 root on a
    /// unified host, under each v1 hierarchy's mount (as crun saw them) otherwise. Null for a
    /// systemd-managed group or a path that is not plainly below the root.
    /// </summary>
    private static List<string>? CrunCgroups(string stateDir)
    {
        using var status = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(stateDir, "status")));
        var root = status.RootElement;
        if (root.TryGetProperty("systemd-cgroup", out var systemd) && systemd.ValueKind == JsonValueKind.True)
        {
            return null;
        }
        if (!root.TryGetProperty("cgroup-path", out var p) || p.GetString() is not { } relative)
        {
            return [];
        }
        relative = relative.Trim('/');
        if (relative.Length == 0 || relative.Split('/').Any(part => part is "" or "." or ".."))
        {
            return null;
        }
        if (File.Exists(Path.Combine(CgroupRoot, "cgroup.controllers")))
        {
            return [Path.Combine(CgroupRoot, relative)];
        }
        // v1 (crun sees no cgroup2 mount in wharf-shim's view): one directory per hierarchy.
        return [.. Directory.EnumerateDirectories(CgroupRoot)
            .Where(h => Path.GetFileName(h) != "unified")
            .Select(h => Path.Combine(h, relative))];
    }
}
