using System.Globalization;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Volumes;

/// <summary>
/// The local driver's options, checked as Docker's local driver checks them: only
/// <c>type</c>, <c>device</c>, <c>o</c> and <c>size</c>; <c>type</c> and <c>device</c> go
/// together and <c>o</c> needs both; <c>size</c> needs filesystem quotas, which Wharf does not
/// set up, so a non-zero size is refused.
/// </summary>
internal static partial class LocalDriverOptions
{
    private static readonly string[] Known = ["type", "o", "device", "size"];

    // Checked in a fixed order (Docker walks a Go map, so its order varies).
    private static readonly (string Option, string[] Needs)[] Mandatory =
    [
        ("device", ["type"]),
        ("type", ["device"]),
        ("o", ["device", "type"]),
    ];

    [GeneratedRegex(@"^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    /// <summary>The reason the options are refused, or null when they are fine.</summary>
    public static string? Problem(IReadOnlyDictionary<string, string>? options)
    {
        if (options is null || options.Count == 0)
        {
            return null;
        }

        foreach (var key in options.Keys.Order(StringComparer.Ordinal))
        {
            if (Array.IndexOf(Known, key) < 0)
            {
                return $"invalid option: {VolumeNames.GoQuote(key)}";
            }
        }

        if (options.TryGetValue("size", out var size))
        {
            var m = SizePattern().Match(size);
            if (!m.Success)
            {
                return $"invalid size: '{size}'";
            }

            if (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 0)
            {
                return "quota size requested but no quota support";
            }
        }

        foreach (var (option, needs) in Mandatory)
        {
            if (options.ContainsKey(option))
            {
                foreach (var need in needs)
                {
                    if (!options.ContainsKey(need))
                    {
                        return $"missing required option: \"{need}\"";
                    }
                }
            }
        }

        return null;
    }

    public static void Validate(string name, IReadOnlyDictionary<string, string>? options)
    {
        if (Problem(options) is { } problem)
        {
            throw WharfException.Invalid($"create {name}: {problem}");
        }
    }

    /// <summary>Whether the volume's data is a filesystem mounted on use (a <c>type</c> or <c>device</c> option).</summary>
    public static bool NeedsMount(IReadOnlyDictionary<string, string>? options)
        => options is not null && (options.GetValueOrDefault("type", "").Length > 0 || options.GetValueOrDefault("device", "").Length > 0);
}
