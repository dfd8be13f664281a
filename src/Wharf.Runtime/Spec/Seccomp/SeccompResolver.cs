using System.Globalization;
using System.Text.Json;
using Wharf.Core.Errors;
using Wharf.Oci.Runtime;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec.Seccomp;

/// <summary>
/// Resolves a Docker-format profile into the runtime's form for one container, as moby's
/// profiles/seccomp setupSeccomp does: pick the host arch's entry from the arch map and keep
/// only the rules whose conditions hold for the container's bounding set, arch and kernel.
/// </summary>
internal static class SeccompResolver
{
    // Go arch name to libseccomp's.
    private static readonly Dictionary<string, string> NativeToSeccomp = new(StringComparer.Ordinal)
    {
        ["x86"] = "SCMP_ARCH_X86",
        ["amd64"] = "SCMP_ARCH_X86_64",
        ["arm"] = "SCMP_ARCH_ARM",
        ["arm64"] = "SCMP_ARCH_AARCH64",
        ["loongarch64"] = "SCMP_ARCH_LOONGARCH64",
        ["mips64"] = "SCMP_ARCH_MIPS64",
        ["mips64n32"] = "SCMP_ARCH_MIPS64N32",
        ["mipsel64"] = "SCMP_ARCH_MIPSEL64",
        ["mips3l64n32"] = "SCMP_ARCH_MIPSEL64N32",
        ["mipsel"] = "SCMP_ARCH_MIPSEL",
        ["ppc"] = "SCMP_ARCH_PPC",
        ["ppc64"] = "SCMP_ARCH_PPC64",
        ["ppc64le"] = "SCMP_ARCH_PPC64LE",
        ["riscv64"] = "SCMP_ARCH_RISCV64",
        ["s390"] = "SCMP_ARCH_S390",
        ["s390x"] = "SCMP_ARCH_S390X",
    };

    public static SeccompProfile Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SeccompJsonContext.Default.SeccompProfile)
                ?? throw WharfException.Invalid("Decoding seccomp profile failed: empty profile");
        }
        catch (JsonException e)
        {
            throw WharfException.Invalid($"Decoding seccomp profile failed: {e.Message}", e);
        }
    }

    /// <summary>Null when the profile disables seccomp (no default action and no rules).</summary>
    public static LinuxSeccomp? Resolve(SeccompProfile profile, IReadOnlyList<string> bounding, HostFacts host)
    {
        if (profile.DefaultAction.Length == 0 && (profile.Syscalls is null || profile.Syscalls.Count == 0))
        {
            return null;
        }
        if (profile.Architectures is { Count: > 0 } && profile.ArchMap is { Count: > 0 })
        {
            throw WharfException.Invalid("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");
        }
        var arches = new List<string>(profile.Architectures ?? []);
        if (NativeToSeccomp.TryGetValue(host.Architecture, out var native) &&
            profile.ArchMap?.FirstOrDefault(a => a.Architecture == native) is { } entry)
        {
            arches.Add(entry.Architecture);
            arches.AddRange(entry.SubArchitectures ?? []);
        }

        var syscalls = new List<LinuxSyscall>();
        foreach (var rule in profile.Syscalls ?? [])
        {
            if (rule.Name is { Length: > 0 } && rule.Names is { Count: > 0 })
            {
                throw WharfException.Invalid("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
            }
            if (!Applies(rule, bounding, host))
            {
                continue;
            }
            syscalls.Add(new LinuxSyscall
            {
                Names = rule.Name is { Length: > 0 } name ? [name] : rule.Names ?? [],
                Action = rule.Action,
                ErrnoRet = rule.ErrnoRet,
                Args = rule.Args is { Count: > 0 } ? rule.Args : null,
            });
        }

        return new LinuxSeccomp
        {
            DefaultAction = profile.DefaultAction,
            DefaultErrnoRet = profile.DefaultErrnoRet,
            Architectures = arches.Count > 0 ? arches : null,
            Flags = profile.Flags is { Count: > 0 } ? profile.Flags : null,
            Syscalls = syscalls.Count > 0 ? syscalls : null,
        };
    }

    private static bool Applies(SeccompRule rule, IReadOnlyList<string> bounding, HostFacts host)
    {
        if (rule.Excludes is { } ex)
        {
            if (ex.Arches is { Count: > 0 } && ex.Arches.Contains(host.Architecture))
            {
                return false;
            }
            if (ex.Caps is { Count: > 0 } && ex.Caps.Any(bounding.Contains))
            {
                return false;
            }
            if (ex.MinKernel is { Length: > 0 } exMin && KernelAtLeast(host.KernelVersion, exMin))
            {
                return false;
            }
        }
        if (rule.Includes is { } inc)
        {
            if (inc.Arches is { Count: > 0 } && !inc.Arches.Contains(host.Architecture))
            {
                return false;
            }
            if (inc.Caps is { Count: > 0 } && !inc.Caps.All(bounding.Contains))
            {
                return false;
            }
            if (inc.MinKernel is { Length: > 0 } incMin && !KernelAtLeast(host.KernelVersion, incMin))
            {
                return false;
            }
        }
        return true;
    }

    private static bool KernelAtLeast(Version host, string minKernel)
    {
        var parts = minKernel.Split('.');
        if (parts.Length != 2 ||
            !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var major) ||
            !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var minor))
        {
            throw WharfException.Invalid($"invalid kernel version: \"{minKernel}\", expected \"<kernel>.<major>\"");
        }
        return host.Major > major || (host.Major == major && host.Minor >= minor);
    }
}
