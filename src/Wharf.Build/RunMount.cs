using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Build;

/// <summary>
/// One <c>RUN --mount=</c> as BuildKit's Dockerfile frontend reads it: comma-separated
/// <c>key=value</c> fields (or bare boolean keys), type <c>bind</c> unless given.
/// </summary>
internal sealed record RunMount
{
    public required string Type { get; init; }

    /// <summary>Absolute path in the container.</summary>
    public required string Target { get; init; }

    /// <summary>Path in the context or the <see cref="From"/> stage/image (bind); subpath is not supported for cache.</summary>
    public string Source { get; init; } = "";

    public string? From { get; init; }

    /// <summary>Cache mounts: the cache's name (default: the target); secrets: the secret's name.</summary>
    public string Id { get; init; } = "";

    public bool ReadOnly { get; init; }

    /// <summary>Cache mounts: shared, private or locked.</summary>
    public string Sharing { get; init; } = "shared";

    public UnixFileMode? Mode { get; init; }

    public int? Uid { get; init; }

    public int? Gid { get; init; }

    /// <summary>tmpfs: size limit in bytes (0: the kernel's default).</summary>
    public long Size { get; init; }

    /// <summary>Secrets and ssh: fail when the client gave none.</summary>
    public bool Required { get; init; }

    /// <summary>Secrets: also (or only) expose the secret as this environment variable.</summary>
    public string? Env { get; init; }

    private static readonly string[] Types = ["bind", "cache", "tmpfs", "secret", "ssh"];

    /// <summary>Parses a <c>--mount</c> value; <paramref name="expand"/> substitutes build variables in values.</summary>
    public static RunMount Parse(string value, Func<string, string> expand)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var raw in SplitCsv(value))
        {
            var field = raw.Trim();
            if (field.Length == 0)
            {
                continue;
            }

            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? field : field[..eq]).ToLowerInvariant();
            fields[key] = eq < 0 ? null : expand(field[(eq + 1)..]);
        }

        var type = fields.TryGetValue("type", out var t) && t is not null ? t.ToLowerInvariant() : "bind";
        if (!Types.Contains(type))
        {
            throw WharfException.Invalid($"unsupported mount type \"{type}\"");
        }

        string? target = null;
        var readOnly = type == "bind";
        var mount = new RunMount { Type = type, Target = "" };
        foreach (var (key, v) in fields)
        {
            switch (key)
            {
                case "type":
                    break;
                case "target" or "dst" or "destination":
                    target = v;
                    break;
                case "source" or "src":
                    mount = mount with { Source = v ?? "" };
                    break;
                case "from":
                    mount = mount with { From = v };
                    break;
                case "id":
                    mount = mount with { Id = v ?? "" };
                    break;
                case "readonly" or "ro":
                    readOnly = Bool(key, v);
                    break;
                case "readwrite" or "rw":
                    readOnly = !Bool(key, v);
                    break;
                case "required":
                    mount = mount with { Required = Bool(key, v) };
                    break;
                case "sharing":
                    mount = mount with { Sharing = v is "shared" or "private" or "locked" ? v : throw WharfException.Invalid($"unsupported sharing value \"{v}\"") };
                    break;
                case "mode":
                    mount = mount with { Mode = (UnixFileMode)ParseInt(key, v, 8) };
                    break;
                case "uid":
                    mount = mount with { Uid = ParseInt(key, v, 10) };
                    break;
                case "gid":
                    mount = mount with { Gid = ParseInt(key, v, 10) };
                    break;
                case "size":
                    mount = mount with { Size = ParseSize(v) };
                    break;
                case "env":
                    mount = mount with { Env = v };
                    break;
                default:
                    throw WharfException.Invalid($"unexpected key '{key}' in '{value}'");
            }
        }

        if (type == "secret" || type == "ssh")
        {
            var id = mount.Id.Length > 0 ? mount.Id : type == "ssh" ? "default" : target is { Length: > 0 } ? target[(target.TrimEnd('/').LastIndexOf('/') + 1)..] : "";
            if (id.Length == 0)
            {
                throw WharfException.Invalid("one of source, target required");
            }

            target ??= type == "secret" ? "/run/secrets/" + id : "/run/buildkit/ssh_agent.0";
            mount = mount with { Id = id };
            readOnly = true;
        }

        if (string.IsNullOrEmpty(target))
        {
            throw WharfException.Invalid($"mount type {type} requires a target");
        }

        if (type == "cache" && mount.Id.Length == 0)
        {
            mount = mount with { Id = target };
        }

        return mount with { Target = target, ReadOnly = readOnly };
    }

    private static bool Bool(string key, string? v) => v switch
    {
        null or "" or "true" or "1" => true,
        "false" or "0" => false,
        _ => throw WharfException.Invalid($"invalid value for {key}: {v}"),
    };

    private static int ParseInt(string key, string? v, int radix)
    {
        try
        {
            return Convert.ToInt32(v ?? "", radix);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw WharfException.Invalid($"invalid value for {key}: {v}", e);
        }
    }

    /// <summary>A size with an optional unit (b, k, m, g; binary multiples, as go-units' RAMInBytes).</summary>
    internal static long ParseSize(string? v)
    {
        var s = (v ?? "").Trim().ToLowerInvariant();
        var unit = 1L;
        s = s.TrimEnd('b', 'i');
        if (s.Length > 0 && "kmgt".Contains(s[^1], StringComparison.Ordinal))
        {
            unit = s[^1] switch { 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, _ => 1L << 40 };
            s = s[..^1];
        }

        return double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? (long)(n * unit)
            : throw WharfException.Invalid($"invalid size: '{v}'");
    }

    /// <summary>Go's encoding/csv on one record: commas split fields, double quotes quote them.</summary>
    private static List<string> SplitCsv(string value)
    {
        var fields = new List<string>();
        var sb = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"')
            {
                if (quoted && i + 1 < value.Length && value[i + 1] == '"')
                {
                    sb.Append('"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(c);
            }
        }

        fields.Add(sb.ToString());
        return fields;
    }
}
