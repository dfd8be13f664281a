namespace Wharf.Runtime.Cgroups;

/// <summary>
/// Where one process's cgroups are on the host: a directory per v1 controller (cgroup v1 and
/// hybrid hosts) or the one unified directory (pure v2). <see cref="IsV2"/> is Docker's choice of
/// stats format: v2 only when no v1 controller holds the process's memory or CPU accounting.
/// </summary>
internal sealed record CgroupLocation(IReadOnlyDictionary<string, string> V1, string? Unified)
{
    /// <summary>Mount point of each v1 controller's hierarchy (its root cgroup).</summary>
    public IReadOnlyDictionary<string, string> V1Roots { get; init; } = new Dictionary<string, string>();

    /// <summary>Mount point of the unified hierarchy.</summary>
    public string? UnifiedRoot { get; init; }

    public bool IsV2 => Unified is not null && !V1.ContainsKey("memory") && !V1.ContainsKey("cpuacct");

    public string? Controller(string name) => V1.GetValueOrDefault(name);

    /// <summary>
    /// Maps /proc/PID/cgroup onto the cgroup mounts of /proc/self/mountinfo: each hierarchy's path
    /// is taken relative to its mount's root and joined to the mount point.
    /// </summary>
    public static CgroupLocation? Parse(string procCgroup, string mountInfo)
    {
        var mounts = ParseMounts(mountInfo);
        var v1 = new Dictionary<string, string>(StringComparer.Ordinal);
        var roots = new Dictionary<string, string>(StringComparer.Ordinal);
        string? unified = null;
        string? unifiedRoot = null;
        foreach (var line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            var path = parts[2].Trim();
            if (parts[0] == "0" && parts[1].Length == 0)
            {
                var mount = mounts.FirstOrDefault(m => m.Type == "cgroup2");
                if (mount is not null && Join(mount, path) is { } dir)
                {
                    unified = dir;
                    unifiedRoot = mount.MountPoint;
                }

                continue;
            }

            foreach (var controller in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var mount = mounts.FirstOrDefault(m => m.Type == "cgroup" && m.Options.Contains(controller));
                if (mount is not null && Join(mount, path) is { } dir)
                {
                    v1[controller] = dir;
                    roots[controller] = mount.MountPoint;
                }
            }
        }

        return v1.Count == 0 && unified is null ? null : new CgroupLocation(v1, unified) { V1Roots = roots, UnifiedRoot = unifiedRoot };
    }

    private static string? Join(Mount mount, string path)
    {
        var root = mount.Root.TrimEnd('/');
        if (root.Length > 0 && path != root && !path.StartsWith(root + "/", StringComparison.Ordinal))
        {
            return null;
        }

        var rel = path[root.Length..].TrimStart('/');
        return rel.Length == 0 ? mount.MountPoint : mount.MountPoint.TrimEnd('/') + "/" + rel;
    }

    private sealed record Mount(string Root, string MountPoint, string Type, HashSet<string> Options);

    /// <summary>Lines look like <c>34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory</c>.</summary>
    private static List<Mount> ParseMounts(string mountInfo)
    {
        var list = new List<Mount>();
        foreach (var line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var sep = line.IndexOf(" - ", StringComparison.Ordinal);
            if (sep < 0)
            {
                continue;
            }

            var left = line[..sep].Split(' ');
            var right = line[(sep + 3)..].Split(' ');
            if (left.Length < 5 || right.Length < 3 || right[0] is not ("cgroup" or "cgroup2"))
            {
                continue;
            }

            var options = right[2].Split(',').ToHashSet(StringComparer.Ordinal);
            list.Add(new Mount(Unescape(left[3]), Unescape(left[4]), right[0], options));
        }

        return list;
    }

    /// <summary>mountinfo writes space, tab, newline and backslash as \040-style octal escapes.</summary>
    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new System.Text.StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && s.AsSpan(i + 1, 3).ToString().All(c => c is >= '0' and <= '7'))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                sb.Append(s[i]);
            }
        }

        return sb.ToString();
    }
}
