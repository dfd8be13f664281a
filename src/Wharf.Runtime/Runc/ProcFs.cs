using System.Globalization;

namespace Wharf.Runtime.Runc;

/// <summary>Cheap reads of /proc and the freezer cgroup: no runc process per status query.</summary>
internal static class ProcFs
{
    /// <summary>The state letter of /proc/PID/stat, or null when there is no such process.</summary>
    public static char? State(int pid)
    {
        var stat = TryRead($"/proc/{pid}/stat");
        if (stat is null)
        {
            return null;
        }
        // The command name may contain ')' and spaces: the state follows the last ')'.
        var close = stat.LastIndexOf(')');
        return close >= 0 && close + 2 < stat.Length ? stat[close + 2] : null;
    }

    /// <summary>Alive and not a zombie (PID 1 here does not reap, so exited shims linger as Z).</summary>
    public static bool IsAlive(int pid) => pid > 0 && State(pid) is { } s && s != 'Z' && s != 'X' && s != 'x';

    public static string? Comm(int pid) => TryRead($"/proc/{pid}/comm")?.TrimEnd('\n');

    /// <summary>
    /// Whether the process's freezer cgroup is frozen: v1 <c>freezer.state</c> (FROZEN or FREEZING),
    /// else v2 <c>cgroup.freeze</c>.
    /// </summary>
    public static bool IsFrozen(int pid)
    {
        var cgroups = TryRead($"/proc/{pid}/cgroup");
        if (cgroups is null)
        {
            return false;
        }
        string? unified = null;
        foreach (var line in cgroups.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }
            if (parts[1].Split(',').Contains("freezer", StringComparer.Ordinal))
            {
                var state = TryRead("/sys/fs/cgroup/freezer" + parts[2] + "/freezer.state")?.Trim();
                return state is "FROZEN" or "FREEZING";
            }
            if (parts[0] == "0" && parts[1].Length == 0)
            {
                unified = parts[2];
            }
        }
        if (unified is null)
        {
            return false;
        }
        var root = File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
        return TryRead(root + unified + "/cgroup.freeze")?.Trim() == "1";
    }

    public static int? ReadPidFile(string path) =>
        TryRead(path) is { } text && int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;

    public static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
