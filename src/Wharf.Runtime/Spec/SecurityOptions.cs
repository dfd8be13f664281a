using Wharf.Core.Errors;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>Parsed <c>--security-opt</c> values (Docker's parseSecurityOpt), with its error texts.</summary>
internal sealed record SecurityOptions
{
    public bool NoNewPrivileges { get; init; }

    /// <summary>Empty (default profile), <c>unconfined</c>, <c>builtin</c>, or the profile's JSON text.</summary>
    public string SeccompProfile { get; init; } = "";

    public string? AppArmorProfile { get; init; }

    public const string Unconfined = "unconfined";

    public const string Builtin = "builtin";

    public static SecurityOptions Parse(IEnumerable<string> options)
    {
        var result = new SecurityOptions();
        foreach (var opt in options)
        {
            if (opt == "no-new-privileges")
            {
                result = result with { NoNewPrivileges = true };
                continue;
            }
            if (opt is "disable" or "writable-cgroups")
            {
                // Label switches and writable cgroups are accepted but have no effect here (no SELinux support yet).
                continue;
            }
            string k, v;
            var eq = opt.IndexOf('=', StringComparison.Ordinal);
            var colon = opt.IndexOf(':', StringComparison.Ordinal);
            if (eq >= 0)
            {
                (k, v) = (opt[..eq], opt[(eq + 1)..]);
            }
            else if (colon >= 0)
            {
                // The deprecated "key:value" form Docker still accepts.
                (k, v) = (opt[..colon], opt[(colon + 1)..]);
            }
            else
            {
                throw WharfException.Invalid($"invalid --security-opt 1: \"{opt}\"");
            }
            result = k switch
            {
                "label" => result,
                "apparmor" => result with { AppArmorProfile = v },
                "seccomp" => result with { SeccompProfile = v },
                "no-new-privileges" => result with { NoNewPrivileges = ParseBool(v) ?? throw Invalid2(opt) },
                "writable-cgroups" => ParseBool(v) is null ? throw Invalid2(opt) : result,
                _ => throw Invalid2(opt),
            };
        }
        return result;
    }

    private static WharfException Invalid2(string opt) => WharfException.Invalid($"invalid --security-opt 2: \"{opt}\"");

    /// <summary>Go's strconv.ParseBool.</summary>
    private static bool? ParseBool(string v) => v switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };
}
