using System.Text.Json;
using Wharf.Core.Containers;

namespace Wharf.Daemon;

/// <summary>
/// dockerd's runtime settings: daemon.json <c>"runtimes": {"NAME": {"path": "...", "runtimeArgs": [...]}}</c>,
/// <c>--add-runtime NAME=PATH</c> and <c>default-runtime</c>, checked when the daemon starts.
/// </summary>
internal static class RuntimeOptions
{
    public const string Runc = "runc";

    public static List<OciRuntimeConfig> FromJson(JsonProperty p)
    {
        if (p.Value.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"invalid value for \"{p.Name}\": expected an object of runtime name to {{\"path\", \"runtimeArgs\"}}");
        }

        var list = new List<OciRuntimeConfig>();
        foreach (var r in p.Value.EnumerateObject())
        {
            if (r.Value.ValueKind != JsonValueKind.Object || !r.Value.TryGetProperty("path", out var path)
                || path.ValueKind != JsonValueKind.String || path.GetString() is not { Length: > 0 } binary)
            {
                throw new ArgumentException($"invalid value for \"{p.Name}\": runtime \"{r.Name}\" needs a \"path\"");
            }

            var args = new List<string>();
            if (r.Value.TryGetProperty("runtimeArgs", out var a))
            {
                if (a.ValueKind != JsonValueKind.Array || a.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                {
                    throw new ArgumentException($"invalid value for \"{p.Name}\": \"runtimeArgs\" of runtime \"{r.Name}\" must be a list of strings");
                }
                args.AddRange(a.EnumerateArray().Select(e => e.GetString()!));
            }

            list.Add(new OciRuntimeConfig { Name = r.Name, Path = binary, Args = args });
        }

        return list;
    }

    /// <summary>Names become directory names and CLI words; runc may not be redefined; the default must exist.</summary>
    public static void Check(IReadOnlyList<OciRuntimeConfig> added, string defaultRuntime)
    {
        foreach (var r in added)
        {
            if (r.Name == Runc)
            {
                throw new ArgumentException($"runtime name '{Runc}' is reserved");
            }
            if (r.Name.Length is 0 or > 64 || !char.IsAsciiLetterOrDigit(r.Name[0]) || !r.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                throw new ArgumentException($"invalid runtime name \"{r.Name}\": use letters, digits, '_', '.' and '-', starting with a letter or digit");
            }
        }
        if (added.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"runtime \"{twice.Key}\" is defined more than once");
        }
        if (defaultRuntime != Runc && !added.Any(r => r.Name == defaultRuntime) && !(defaultRuntime == "crun" && FindOnPath("crun") is not null))
        {
            throw new ArgumentException($"specified default runtime '{defaultRuntime}' does not exist");
        }
    }

    /// <summary>
    /// Every runtime containers may use: runc, those configured, and crun when it is installed
    /// and not configured otherwise (so <c>--runtime crun</c> works without a daemon.json entry).
    /// A relative path is looked up on PATH now, as dockerd does when it starts.
    /// </summary>
    public static Dictionary<string, OciRuntimeConfig> All(IReadOnlyList<OciRuntimeConfig> added)
    {
        var all = new Dictionary<string, OciRuntimeConfig>(StringComparer.Ordinal)
        {
            [Runc] = new OciRuntimeConfig { Name = Runc, Path = Runc },
        };
        if (FindOnPath("crun") is { } crun)
        {
            all["crun"] = new OciRuntimeConfig { Name = "crun", Path = crun };
        }
        foreach (var r in added)
        {
            all[r.Name] = r.Path.Contains('/', StringComparison.Ordinal) ? r : r with { Path = FindOnPath(r.Path) ?? r.Path };
        }
        return all;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
