using System.Globalization;
using Wharf.Core.Containers.Stats;

namespace Wharf.Runtime.Cgroups;

/// <summary>Parsers for the text formats of cgroup, /proc/stat, /proc/meminfo and /proc/PID/net/dev files. Pure.</summary>
internal static class CgroupText
{
    /// <summary>A single number; "max" gives <paramref name="max"/>, anything unreadable 0 (as containerd does).</summary>
    public static ulong Uint(string? text, ulong max = ulong.MaxValue)
    {
        var t = text?.Trim();
        if (t == "max")
        {
            return max;
        }

        return ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    /// <summary>"key value" lines (memory.stat, cpu.stat, cpuacct.stat, memory.events).</summary>
    public static Dictionary<string, ulong> KeyValues(string? text)
    {
        var result = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                result[parts[0]] = v;
            }
        }

        return result;
    }

    /// <summary>Whitespace-separated numbers (cpuacct.usage_percpu).</summary>
    public static List<ulong> Numbers(string? text) =>
        [.. (text ?? "").Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(f => ulong.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)];

    /// <summary>
    /// cgroup v1 blkio files: <c>8:0 Read 4096</c> (with an operation) or <c>8:0 4096</c>
    /// (sectors, time); the <c>Total N</c> summary line is skipped.
    /// </summary>
    public static List<BlkioEntry> BlkioV1(string? text)
    {
        var list = new List<BlkioEntry>();
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split([' ', ':'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 3
                || !ulong.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
                || !ulong.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            {
                continue;
            }

            var op = f.Length == 4 ? f[2] : "";
            if (ulong.TryParse(f[f.Length == 4 ? 3 : 2], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                list.Add(new BlkioEntry(major, minor, op, value));
            }
        }

        return list;
    }

    /// <summary>cgroup v2 io.stat: <c>8:0 rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N</c>, one line per device.</summary>
    public static List<(ulong Major, ulong Minor, ulong ReadBytes, ulong WriteBytes)> IoStat(string? text)
    {
        var list = new List<(ulong, ulong, ulong, ulong)>();
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var dev = f.Length > 0 ? f[0].Split(':') : [];
            if (dev.Length != 2
                || !ulong.TryParse(dev[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
                || !ulong.TryParse(dev[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            {
                continue;
            }

            ulong r = 0, w = 0;
            foreach (var kv in f.Skip(1))
            {
                var eq = kv.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || !ulong.TryParse(kv.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                {
                    continue;
                }

                switch (kv[..eq])
                {
                    case "rbytes":
                        r = v;
                        break;
                    case "wbytes":
                        w = v;
                        break;
                }
            }

            list.Add((major, minor, r, w));
        }

        return list;
    }

    /// <summary>
    /// /proc/stat: the host's CPU time in nanoseconds as Docker computes it (user, nice, system,
    /// idle, iowait, irq and softirq of the "cpu" line, in clock ticks of 1/100 s) and the number
    /// of "cpuN" lines.
    /// </summary>
    public static (ulong SystemUsage, uint OnlineCpus) ProcStat(string? text)
    {
        const ulong nanosPerTick = 1_000_000_000 / 100;
        ulong ticks = 0;
        uint cpus = 0;
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                foreach (var field in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(7))
                {
                    ticks += ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
                }
            }
            else if (line.Length > 3 && line.StartsWith("cpu", StringComparison.Ordinal) && char.IsAsciiDigit(line[3]))
            {
                cpus++;
            }
        }

        return (ticks * nanosPerTick, cpus);
    }

    /// <summary>MemTotal of /proc/meminfo in bytes.</summary>
    public static ulong MemTotal(string? text)
    {
        foreach (var line in (text ?? "").Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var f = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length >= 1 && ulong.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                {
                    return f.Length > 1 && f[1] == "kB" ? kb * 1024 : kb;
                }
            }
        }

        return 0;
    }

    /// <summary>
    /// /proc/PID/net/dev (two header lines, then <c>name: rx bytes packets errs drop fifo frame
    /// compressed multicast tx bytes packets errs drop ...</c>), without the loopback.
    /// </summary>
    public static Dictionary<string, NetworkSample> NetDev(string? text)
    {
        var result = new Dictionary<string, NetworkSample>(StringComparer.Ordinal);
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.Contains('|', StringComparison.Ordinal))
            {
                continue;
            }

            var name = line[..colon].Trim();
            var f = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(x => ulong.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
            if (name.Length == 0 || name == "lo" || f.Length < 12)
            {
                continue;
            }

            result[name] = new NetworkSample
            {
                RxBytes = f[0],
                RxPackets = f[1],
                RxErrors = f[2],
                RxDropped = f[3],
                TxBytes = f[8],
                TxPackets = f[9],
                TxErrors = f[10],
                TxDropped = f[11],
            };
        }

        return result;
    }
}
