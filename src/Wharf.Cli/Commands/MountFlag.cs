using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary>
/// docker's <c>--mount</c> value (opts/mount.go): CSV <c>key=value</c> fields into one
/// HostConfig.Mounts entry, and <c>-v</c> specs (volumespec) into Binds or Config.Volumes.
/// </summary>
internal static class MountFlag
{
    /// <summary>One <c>--mount</c> value as a HostConfig.Mounts entry; bad values are usage errors like pflag's.</summary>
    public static JsonObject Parse(string raw, Func<string, string> absolute)
    {
        try
        {
            return ParseCore(raw, absolute);
        }
        catch (FormatException e)
        {
            throw new UsageException($"invalid argument \"{raw}\" for \"--mount\" flag: {e.Message}");
        }
    }

    private static JsonObject ParseCore(string raw, Func<string, string> absolute)
    {
        var value = raw.Trim();
        if (value.Length == 0)
        {
            throw new FormatException("value is empty");
        }

        var mount = new JsonObject { ["Type"] = "volume" };
        JsonObject Block(string name) => mount[name] as JsonObject ?? (JsonObject)(mount[name] = new JsonObject());
        JsonObject Driver() => Block("VolumeOptions")["DriverConfig"] as JsonObject ?? (JsonObject)(Block("VolumeOptions")["DriverConfig"] = new JsonObject());
        foreach (var field in SplitCsv(value))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var hasValue = eq >= 0;
            var key = hasValue ? field[..eq] : field;
            var val = hasValue ? field[(eq + 1)..] : "";
            if (key.Trim() != key)
            {
                throw new FormatException($"invalid option '{key.Trim()}' in '{field}': option should not have whitespace");
            }

            if (hasValue)
            {
                if (val.Trim().Length == 0)
                {
                    throw new FormatException($"invalid value for '{key}': value is empty");
                }

                if (val.Trim() != val)
                {
                    throw new FormatException($"invalid value for '{key}' in '{field}': value should not have whitespace");
                }
            }

            key = key.ToLowerInvariant();
            if (!hasValue && key is not ("readonly" or "ro" or "volume-nocopy" or "bind-nonrecursive" or "bind-create-src"))
            {
                throw new FormatException($"invalid field '{field}' must be a key=value pair");
            }

            switch (key)
            {
                case "type":
                    mount["Type"] = val.ToLowerInvariant();
                    break;
                case "source" or "src":
                    mount["Source"] = !val.StartsWith('/') && val.StartsWith('.') ? absolute(val) : val;
                    break;
                case "target" or "dst" or "destination":
                    mount["Target"] = val;
                    break;
                case "readonly" or "ro":
                    mount["ReadOnly"] = ParseBool(key, val, hasValue);
                    break;
                case "consistency":
                    mount["Consistency"] = val.ToLowerInvariant();
                    break;
                case "bind-propagation":
                    Block("BindOptions")["Propagation"] = val.ToLowerInvariant();
                    break;
                case "bind-nonrecursive":
                    throw new FormatException("bind-nonrecursive is deprecated, use bind-recursive=disabled instead");
                case "bind-recursive":
                    switch (val)
                    {
                        case "enabled":
                            break;
                        case "disabled":
                            Block("BindOptions")["NonRecursive"] = true;
                            break;
                        case "writable":
                            Block("BindOptions")["ReadOnlyNonRecursive"] = true;
                            break;
                        case "readonly":
                            Block("BindOptions")["ReadOnlyForceRecursive"] = true;
                            break;
                        default:
                            throw new FormatException($"invalid value for {key}: {val} (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")");
                    }

                    break;
                case "bind-create-src":
                    Block("BindOptions")["CreateMountpoint"] = ParseBool(key, val, hasValue);
                    break;
                case "volume-subpath":
                    Block("VolumeOptions")["Subpath"] = val;
                    break;
                case "volume-nocopy":
                    Block("VolumeOptions")["NoCopy"] = ParseBool(key, val, hasValue);
                    break;
                case "volume-label":
                    SetOnMap(Block("VolumeOptions"), "Labels", val);
                    break;
                case "volume-driver":
                    Driver()["Name"] = val;
                    break;
                case "volume-opt":
                    SetOnMap(Driver(), "Options", val);
                    break;
                case "tmpfs-size":
                    Block("TmpfsOptions")["SizeBytes"] = ParseSize(key, val);
                    break;
                case "tmpfs-mode":
                    try
                    {
                        Block("TmpfsOptions")["Mode"] = Convert.ToUInt32(val, 8);
                    }
                    catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
                    {
                        throw new FormatException($"invalid value for {key}: {val}");
                    }

                    break;
                default:
                    throw new FormatException($"unknown option '{key}' in '{field}'");
            }
        }

        Validate(mount);
        return mount;
    }

    private static void Validate(JsonObject m)
    {
        var type = m["Type"]!.GetValue<string>();
        if (type.Length == 0)
        {
            throw new FormatException("type is required");
        }

        foreach (var (block, owner, prefix) in new[] { ("BindOptions", "bind", "bind"), ("VolumeOptions", "volume", "volume"), ("TmpfsOptions", "tmpfs", "tmpfs") })
        {
            if (type != owner && m[block] is not null)
            {
                throw new FormatException($"cannot mix '{prefix}-*' options with mount type '{type}'");
            }
        }

        if (m["BindOptions"] is JsonObject b)
        {
            var readOnly = m["ReadOnly"]?.GetValue<bool>() ?? false;
            if (b["ReadOnlyNonRecursive"] is not null && !readOnly)
            {
                throw new FormatException("option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction");
            }

            if (b["ReadOnlyForceRecursive"] is not null)
            {
                if (!readOnly)
                {
                    throw new FormatException("option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction");
                }

                if (b["Propagation"]?.GetValue<string>() != "rprivate")
                {
                    throw new FormatException("option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction");
                }
            }
        }
    }

    private static bool ParseBool(string key, string val, bool hasValue) => !hasValue || val switch
    {
        "1" or "true" => true,
        "0" or "false" => false,
        _ => throw new FormatException($"invalid value for '{key}': invalid boolean value (\"{val}\"): must be one of \"true\", \"1\", \"false\", or \"0\" (default \"true\")"),
    };

    private static void SetOnMap(JsonObject owner, string name, string keyValue)
    {
        var eq = keyValue.IndexOf('=', StringComparison.Ordinal);
        var k = eq < 0 ? keyValue : keyValue[..eq];
        if (k.Length == 0)
        {
            return;
        }

        var map = owner[name] as JsonObject ?? (JsonObject)(owner[name] = new JsonObject());
        map[k] = eq < 0 ? "" : keyValue[(eq + 1)..];
    }

    private static long ParseSize(string key, string val)
    {
        try
        {
            return ContainerOptions.ParseMemory(val);
        }
        catch (UsageException)
        {
            throw new FormatException($"invalid value for {key}: {val}");
        }
    }

    /// <summary>One CSV record as Go's encoding/csv reads it: commas separate fields, double quotes may wrap one.</summary>
    internal static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var i = 0;
        while (true)
        {
            sb.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new FormatException($"parse error on line 1, column {i + 1}: extraneous or missing \" in quoted-field");
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            sb.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    sb.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    throw new FormatException($"parse error on line 1, column {i + 1}: extraneous or missing \" in quoted-field");
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    if (line[i] == '"')
                    {
                        throw new FormatException($"parse error on line 1, column {i + 1}: bare \" in non-quoted-field");
                    }

                    sb.Append(line[i++]);
                }
            }

            fields.Add(sb.ToString());
            if (i >= line.Length)
            {
                return fields;
            }

            i++;
        }
    }

    /// <summary>
    /// A <c>-v</c> value as docker's volumespec reads it: returns the bind for HostConfig.Binds
    /// (relative "./" sources made absolute), or null when it only names a container path
    /// (an anonymous volume for Config.Volumes).
    /// </summary>
    public static string? ParseVolume(string spec, Func<string, string> absolute)
    {
        if (spec.Length == 0)
        {
            throw new CliErrorException("invalid empty volume spec", 125);
        }

        if (spec.Length <= 2)
        {
            return null;
        }

        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i <= spec.Length; i++)
        {
            if (i == spec.Length || spec[i] == ':')
            {
                var part = spec[start..i];
                if (part.Length == 0)
                {
                    throw new CliErrorException($"invalid spec: {spec}: empty section between colons", 125);
                }

                if (parts.Count == 2 && i < spec.Length)
                {
                    throw new CliErrorException($"invalid spec: {spec}: too many colons", 125);
                }

                parts.Add(part);
                start = i + 1;
            }
        }

        if (parts.Count == 1)
        {
            return null;
        }

        var host = parts[0];
        if (!host.StartsWith('/') && host.StartsWith('.'))
        {
            return absolute(host) + spec[host.Length..];
        }

        return spec;
    }
}
