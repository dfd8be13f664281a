using Wharf.Core.Errors;
using Wharf.Oci.Runtime;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>Turns <c>--ulimit</c> values into spec rlimits, clamped to the host's hard limits.</summary>
internal static class Rlimits
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile",
        "nproc", "rss", "rtprio", "rttime", "sigpending", "stack",
    };

    /// <summary>
    /// Null when none are asked: Docker writes no rlimits then and the container inherits the
    /// runtime's. Values above the host's hard limit are lowered to it because raising a hard
    /// limit needs CAP_SYS_RESOURCE; asking anyway makes runc fail the start with EPERM.
    /// -1 (unlimited) becomes RLIM_INFINITY before clamping.
    /// </summary>
    public static IReadOnlyList<PosixRlimit>? Build(IReadOnlyList<Ulimit> ulimits, IReadOnlyDictionary<string, ulong> hostHard)
    {
        if (ulimits.Count == 0)
        {
            return null;
        }
        var result = new List<PosixRlimit>();
        foreach (var u in ulimits)
        {
            if (!Names.Contains(u.Name))
            {
                throw WharfException.Invalid($"invalid ulimit type: {u.Name}");
            }
            if (u.Soft > u.Hard && u.Hard != -1)
            {
                throw WharfException.Invalid($"ulimit soft limit must be less than or equal to hard limit: {u.Soft} > {u.Hard}");
            }
            var type = "RLIMIT_" + u.Name.ToUpperInvariant();
            var hard = ToRlim(u.Hard);
            var soft = ToRlim(u.Soft);
            if (hostHard.TryGetValue(type, out var max))
            {
                hard = Math.Min(hard, max);
                soft = Math.Min(soft, max);
            }
            result.Add(new PosixRlimit { Type = type, Hard = hard, Soft = soft });
        }
        return result;
    }

    private static ulong ToRlim(long v) => v < 0 ? ulong.MaxValue : (ulong)v;
}
