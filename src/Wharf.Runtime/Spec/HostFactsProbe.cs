using System.Globalization;
using System.Runtime.InteropServices;
using Wharf.Oci.Runtime;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>Reads <see cref="HostFacts"/> from /proc and /sys. Everything here is best effort: a missing file leaves the default.</summary>
public static class HostFactsProbe
{
    private static readonly string[] NetworkSysctls = ["net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"];

    public static HostFacts Detect() => new()
    {
        Architecture = GoArch(RuntimeInformation.OSArchitecture),
        KernelVersion = ReadKernelVersion() ?? new Version(0, 0),
        CapLastCap = ReadInt("/proc/sys/kernel/cap_last_cap") ?? Capabilities.All.Count - 1,
        HardRlimits = ReadHardLimits(),
        ExtraMaskedPaths = ThermalThrottlePaths(),
        AvailableSysctls = NetworkSysctls.Where(s => File.Exists("/proc/sys/" + s.Replace('.', '/'))).ToHashSet(StringComparer.Ordinal),
    };

    internal static string GoArch(Architecture arch) => arch switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.X86 => "x86",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loongarch64",
        _ => arch.ToString().ToLowerInvariant(),
    };

    internal static Version? ParseKernelRelease(string release)
    {
        // "6.18.0-1-amd64": only major.minor matter for seccomp's minKernel.
        var parts = release.Trim().Split('.', 3);
        if (parts.Length < 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var major))
        {
            return null;
        }
        var minorDigits = new string([.. parts[1].TakeWhile(char.IsAsciiDigit)]);
        return int.TryParse(minorDigits, CultureInfo.InvariantCulture, out var minor) ? new Version(major, minor) : null;
    }

    /// <summary>Parses /proc/self/limits; "unlimited" is RLIM_INFINITY.</summary>
    internal static Dictionary<string, ulong> ParseLimits(string text)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Max cpu time"] = "RLIMIT_CPU",
            ["Max file size"] = "RLIMIT_FSIZE",
            ["Max data size"] = "RLIMIT_DATA",
            ["Max stack size"] = "RLIMIT_STACK",
            ["Max core file size"] = "RLIMIT_CORE",
            ["Max resident set"] = "RLIMIT_RSS",
            ["Max processes"] = "RLIMIT_NPROC",
            ["Max open files"] = "RLIMIT_NOFILE",
            ["Max locked memory"] = "RLIMIT_MEMLOCK",
            ["Max address space"] = "RLIMIT_AS",
            ["Max file locks"] = "RLIMIT_LOCKS",
            ["Max pending signals"] = "RLIMIT_SIGPENDING",
            ["Max msgqueue size"] = "RLIMIT_MSGQUEUE",
            ["Max nice priority"] = "RLIMIT_NICE",
            ["Max realtime priority"] = "RLIMIT_RTPRIO",
            ["Max realtime timeout"] = "RLIMIT_RTTIME",
        };
        var result = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            foreach (var (label, name) in names)
            {
                if (!line.StartsWith(label, StringComparison.Ordinal))
                {
                    continue;
                }
                var fields = line[label.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2)
                {
                    result[name] = fields[1] == "unlimited" ? ulong.MaxValue : ulong.Parse(fields[1], CultureInfo.InvariantCulture);
                }
            }
        }
        return result;
    }

    private static Version? ReadKernelVersion()
    {
        var text = TryRead("/proc/sys/kernel/osrelease");
        return text is null ? null : ParseKernelRelease(text);
    }

    private static int? ReadInt(string path)
    {
        var text = TryRead(path);
        return text is not null && int.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    private static Dictionary<string, ulong> ReadHardLimits()
    {
        var text = TryRead("/proc/self/limits");
        return text is null ? new(StringComparer.Ordinal) : ParseLimits(text);
    }

    private static List<string> ThermalThrottlePaths()
    {
        // Docker masks these per CPU when they exist (GHSA-6fw5-f8r9-fgfm).
        const string cpuRoot = "/sys/devices/system/cpu";
        if (!Directory.Exists(cpuRoot))
        {
            return [];
        }
        return [.. Directory.EnumerateDirectories(cpuRoot, "cpu*")
            .Select(d => (dir: d, name: Path.GetFileName(d)))
            .Where(x => x.name.Length > 3 && x.name[3..].All(char.IsAsciiDigit))
            .OrderBy(x => int.Parse(x.name[3..], CultureInfo.InvariantCulture))
            .Select(x => Path.Combine(x.dir, "thermal_throttle"))
            .Where(Directory.Exists)];
    }

    private static string? TryRead(string path)
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
