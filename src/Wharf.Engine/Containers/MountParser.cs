using System.Globalization;
using Wharf.Core.Containers.Mounts;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

/// <summary>
/// Docker's Linux mount parser: <c>-v</c> specs (<c>HostConfig.Binds</c>), <c>--mount</c> specs
/// (<c>HostConfig.Mounts</c>), <c>--volumes-from</c> and tmpfs options, with Docker's error
/// messages. Pure: the only host access is the bind-source existence check passed in.
/// </summary>
internal static class MountParser
{
    public const string Bind = "bind";
    public const string Volume = "volume";
    public const string Tmpfs = "tmpfs";

    private static readonly string[] RwModes = ["rw", "ro", "ro-non-recursive", "ro-force-recursive", "rro"];
    private static readonly string[] LabelModes = ["z", "Z"];
    private static readonly string[] Propagations = ["private", "rprivate", "slave", "rslave", "shared", "rshared"];
    private static readonly string[] CopyModes = ["nocopy"];
    private static readonly string[] ConsistencyModes = ["consistent", "cached", "delegated"];

    /// <summary>Whether <paramref name="mode"/> is a comma list with at most one option of each kind.</summary>
    public static bool ValidMode(string mode)
    {
        if (mode.Length == 0)
        {
            return true;
        }

        int rw = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
        foreach (var o in mode.Split(','))
        {
            if (RwModes.Contains(o))
            {
                rw++;
            }
            else if (LabelModes.Contains(o))
            {
                label++;
            }
            else if (Propagations.Contains(o))
            {
                propagation++;
            }
            else if (CopyModes.Contains(o))
            {
                copy++;
            }
            else if (ConsistencyModes.Contains(o))
            {
                consistency++;
            }
            else
            {
                return false;
            }
        }

        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    public static bool ReadWrite(string mode) => ValidMode(mode) && !mode.Split(',').Contains("ro");

    private static string? PropagationOf(string mode) => mode.Split(',').FirstOrDefault(o => Propagations.Contains(o));

    /// <summary>One <c>HostConfig.Binds</c> entry: <c>[source:]destination[:mode]</c>.</summary>
    public static MountDraft ParseBind(string raw, string volumeDriver)
    {
        var arr = raw.Split(':', 4);
        if (arr[0].Length == 0)
        {
            throw InvalidSpec(raw);
        }

        var spec = new MountSpec();
        var mode = "";
        switch (arr.Length)
        {
            case 1:
                spec = spec with { Target = arr[0] };
                break;
            case 2:
                if (ValidMode(arr[1]))
                {
                    // "/foo:rw" is a destination with a mode: a volume cannot have a mode alone.
                    throw InvalidSpec(raw);
                }

                spec = spec with { Source = arr[0], Target = arr[1] };
                break;
            case 3:
                spec = spec with { Source = arr[0], Target = arr[1] };
                mode = arr[2];
                break;
            default:
                throw InvalidSpec(raw);
        }

        if (!ValidMode(mode))
        {
            throw WharfException.Invalid($"invalid mode: {mode}");
        }

        spec = spec with { Type = spec.Source.StartsWith('/') ? Bind : Volume, ReadOnly = !ReadWrite(mode) };
        if (volumeDriver.Length > 0 && spec.Type == Volume)
        {
            spec = spec with { VolumeOptions = new MountVolumeSpec { DriverName = volumeDriver } };
        }

        if (mode.Split(',').Contains("nocopy"))
        {
            spec = spec with { VolumeOptions = (spec.VolumeOptions ?? new MountVolumeSpec()) with { NoCopy = true } };
        }

        if (PropagationOf(mode) is { } propagation)
        {
            spec = spec with { BindOptions = new MountBindSpec { Propagation = propagation } };
        }

        string? problem = Problem(spec, bindSourceExists: null);
        if (problem is not null)
        {
            throw WharfException.Invalid($"invalid volume specification: '{raw}': {problem}");
        }

        return ToDraft(spec) with { Mode = mode, SkipMountpointCreation = false };
    }

    /// <summary>Checks one <c>HostConfig.Mounts</c> entry as Docker validates it before create.</summary>
    public static void Validate(MountSpec spec, Func<string, bool> bindSourceExists)
    {
        if (Problem(spec, bindSourceExists) is { } problem)
        {
            throw WharfException.Invalid(problem);
        }
    }

    /// <summary>One validated <c>HostConfig.Mounts</c> entry.</summary>
    public static MountDraft ParseMount(MountSpec spec)
        => ToDraft(spec) with { SkipMountpointCreation = spec.Type == Bind && !(spec.BindOptions?.CreateMountpoint ?? false) };

    /// <summary>Docker's validateMountConfig; returns the full message or null.</summary>
    private static string? Problem(MountSpec m, Func<string, bool>? bindSourceExists)
    {
        string Fail(string reason) => $"invalid mount config for type \"{m.Type}\": {reason}";
        if (m.Target.Length == 0)
        {
            return Fail("field Target must not be empty");
        }

        if (CleanPath(m.Target) == "/")
        {
            return Fail("invalid specification: destination can't be '/'");
        }

        if (!m.Target.StartsWith('/'))
        {
            return Fail($"invalid mount path: '{m.Target}' mount path must be absolute");
        }

        switch (m.Type)
        {
            case Bind:
                if (m.Source.Length == 0)
                {
                    return Fail("field Source must not be empty");
                }

                if (m.BindOptions is { Propagation.Length: > 0 } b && !Propagations.Contains(b.Propagation))
                {
                    return Fail($"invalid propagation mode: {b.Propagation}");
                }

                if (m.VolumeOptions is not null)
                {
                    return Fail("field VolumeOptions must not be specified");
                }

                if (!m.Source.StartsWith('/'))
                {
                    return Fail($"invalid mount path: '{m.Source}' mount path must be absolute");
                }

                if (bindSourceExists is not null && !(m.BindOptions?.CreateMountpoint ?? false) && !bindSourceExists(m.Source))
                {
                    return Fail($"bind source path does not exist: {m.Source}");
                }

                break;
            case Volume:
                if (m.BindOptions is not null)
                {
                    return Fail("field BindOptions must not be specified");
                }

                var anonymous = m.Source.Length == 0;
                if (m.VolumeOptions is { Subpath.Length: > 0 } v)
                {
                    if (anonymous)
                    {
                        return Fail("must not set Subpath when using anonymous volumes");
                    }

                    if (!IsLocalPath(v.Subpath))
                    {
                        return Fail("subpath must be a relative path within the volume");
                    }
                }

                if (m.ReadOnly && anonymous)
                {
                    return Fail("must not set ReadOnly mode when using anonymous volumes");
                }

                break;
            case Tmpfs:
                if (m.BindOptions is not null)
                {
                    return Fail("field BindOptions must not be specified");
                }

                if (m.Source.Length > 0)
                {
                    return Fail("field Source must not be specified");
                }

                try
                {
                    ConvertTmpfsOptions(m.TmpfsOptions, m.ReadOnly);
                }
                catch (WharfException e)
                {
                    return Fail(e.Message);
                }

                break;
            default:
                return Fail("mount type unknown");
        }

        return null;
    }

    private static MountDraft ToDraft(MountSpec m)
    {
        var draft = new MountDraft { Type = m.Type, Destination = CleanPath(m.Target), RW = !m.ReadOnly };
        return m.Type switch
        {
            Volume => draft with
            {
                Name = m.Source,
                CopyData = !(m.VolumeOptions?.NoCopy ?? false),
                Driver = m.VolumeOptions?.DriverName ?? "",
                VolumeLabels = m.VolumeOptions?.Labels,
                DriverOptions = m.VolumeOptions?.DriverOptions,
                Subpath = m.VolumeOptions?.Subpath ?? "",
            },
            Bind => draft with
            {
                Source = CleanPath(m.Source),
                Propagation = m.BindOptions is { Propagation.Length: > 0 } b ? b.Propagation : "rprivate",
                NonRecursive = m.BindOptions?.NonRecursive ?? false,
            },
            Tmpfs => draft with { TmpfsOptions = ConvertTmpfsOptions(m.TmpfsOptions, m.ReadOnly) },
            _ => draft,
        };
    }

    /// <summary><c>container[:mode]</c> of <c>--volumes-from</c>; the mode is rw by default and may not set propagation or copy.</summary>
    public static (string Container, string Mode) ParseVolumesFrom(string spec)
    {
        if (spec.Length == 0)
        {
            throw WharfException.Invalid("volumes-from specification cannot be an empty string");
        }

        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || colon == spec.Length - 1)
        {
            return (colon < 0 ? spec : spec[..colon], "rw");
        }

        var mode = spec[(colon + 1)..];
        if (!ValidMode(mode) || PropagationOf(mode) is not null || mode.Split(',').Contains("nocopy"))
        {
            throw WharfException.Invalid($"invalid mode: {mode}");
        }

        return (spec[..colon], mode);
    }

    /// <summary>Docker's tmpfs options from <c>TmpfsOptions</c>: <c>ro</c>, <c>mode=</c> (octal), <c>size=</c> (largest exact unit), then exec/noexec.</summary>
    public static string ConvertTmpfsOptions(MountTmpfsSpec? options, bool readOnly)
    {
        var raw = new List<string>();
        if (readOnly)
        {
            raw.Add("ro");
        }

        if (options is { Mode: > 0 })
        {
            raw.Add("mode=" + Convert.ToString(options.Mode, 8));
        }

        if (options is { SizeBytes: not 0 } sized)
        {
            var size = sized.SizeBytes;
            var suffix = "";
            foreach (var (unit, divisor) in new[] { ("g", 1L << 30), ("m", 1L << 20), ("k", 1L << 10) })
            {
                if (size % divisor == 0)
                {
                    size /= divisor;
                    suffix = unit;
                    break;
                }
            }

            raw.Add("size=" + size.ToString(CultureInfo.InvariantCulture) + suffix);
        }

        foreach (var option in options?.Options ?? [])
        {
            if (option.Count is < 1 or > 2)
            {
                throw WharfException.Invalid("invalid option array length");
            }

            if (option[0] is not ("exec" or "noexec"))
            {
                throw WharfException.Invalid("invalid option: " + option[0]);
            }

            raw.Add(option.Count == 1 ? option[0] : option[0] + "=" + option[1]);
        }

        return string.Join(',', raw);
    }

    /// <summary>Go's path.Clean for absolute and relative slash paths.</summary>
    public static string CleanPath(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add(part);
                }

                continue;
            }

            parts.Add(part);
        }

        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>Go's filepath.IsLocal: relative, not empty, and never climbing above its start.</summary>
    private static bool IsLocalPath(string path)
    {
        if (path.Length == 0 || path.StartsWith('/'))
        {
            return false;
        }

        var clean = CleanPath(path);
        return clean != ".." && !clean.StartsWith("../", StringComparison.Ordinal);
    }

    private static WharfException InvalidSpec(string raw) => WharfException.Invalid($"invalid volume specification: '{raw}'");
}
