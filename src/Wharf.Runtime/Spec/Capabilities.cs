using Wharf.Core.Errors;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>
/// Docker's capability rules: the 14-capability default set, <c>--cap-add</c>/<c>--cap-drop</c>
/// with or without the <c>CAP_</c> prefix and the <c>ALL</c> keyword, and every capability for
/// <c>--privileged</c>.
/// </summary>
internal static class Capabilities
{
    /// <summary>Every capability by number (index = capability number), as the kernel numbers them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
        "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
        "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
        "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>Docker's default set, in Docker's order (it shows up in that order in config.json).</summary>
    public static IReadOnlyList<string> Default { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    private const string AllKeyword = "ALL";

    /// <summary>The capabilities this kernel supports (numbers up to cap_last_cap).</summary>
    public static IReadOnlyList<string> Available(int capLastCap) => [.. All.Take(Math.Clamp(capLastCap + 1, 0, All.Count))];

    /// <summary>Upper-cases, adds the <c>CAP_</c> prefix and rejects names the kernel does not have.</summary>
    public static List<string> Normalize(IEnumerable<string> caps, int capLastCap)
    {
        var normalized = new List<string>();
        foreach (var raw in caps)
        {
            var c = raw.ToUpperInvariant();
            if (c == AllKeyword)
            {
                normalized.Add(c);
                continue;
            }
            if (!c.StartsWith("CAP_", StringComparison.Ordinal))
            {
                c = "CAP_" + c;
            }
            var index = IndexOf(c);
            if (index < 0)
            {
                throw WharfException.Invalid($"unknown capability: \"{c}\"");
            }
            if (index > capLastCap)
            {
                throw WharfException.Invalid($"capability not supported by your kernel or not available in the current environment: \"{c}\"");
            }
            normalized.Add(c);
        }
        return normalized;
    }

    /// <summary>Docker's TweakCapabilities: privileged gets all; ALL in add wins over drop; ALL in drop keeps only the adds.</summary>
    public static IReadOnlyList<string> Tweak(IReadOnlyList<string> adds, IReadOnlyList<string> drops, bool privileged, int capLastCap)
    {
        if (privileged)
        {
            return Available(capLastCap);
        }
        if (adds.Count == 0 && drops.Count == 0)
        {
            return Default;
        }
        var capDrop = Normalize(drops, capLastCap);
        var capAdd = Normalize(adds, capLastCap);
        if (capAdd.Contains(AllKeyword))
        {
            return [.. Available(capLastCap).Where(c => !capDrop.Contains(c))];
        }
        if (capDrop.Contains(AllKeyword))
        {
            return [.. capAdd.Distinct(StringComparer.Ordinal)];
        }
        // Docker appends adds after the kept defaults without de-duplicating; runc tolerates
        // duplicates, but a clean list is easier to read in inspect output.
        return [.. Default.Where(c => !capDrop.Contains(c)).Concat(capAdd).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The kernel's capability bit mask of a set, as /proc/&lt;pid&gt;/status prints it.</summary>
    public static ulong Mask(IEnumerable<string> caps) =>
        caps.Select(IndexOf).Where(i => i >= 0).Aggregate(0UL, (m, i) => m | (1UL << i));

    private static int IndexOf(string cap)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == cap)
            {
                return i;
            }
        }
        return -1;
    }
}
