using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary>The container flags shared by <c>create</c> and <c>run</c> (cli/command/container/opts.go), and
/// their mapping to the <c>POST /containers/create</c> body.</summary>
internal static class ContainerOptions
{
    public static readonly FlagSpec[] Flags =
    [
        FlagSpec.List("cap-add", null, "Add Linux capabilities"),
        FlagSpec.List("cap-drop", null, "Drop Linux capabilities"),
        FlagSpec.String("cpu-rt-period", null, "Limit CPU real-time period in microseconds", "int"),
        FlagSpec.String("cpu-rt-runtime", null, "Limit CPU real-time runtime in microseconds", "int"),
        FlagSpec.String("cpus", null, "Number of CPUs", "decimal"),
        FlagSpec.String("entrypoint", null, "Overwrite the default ENTRYPOINT of the image"),
        FlagSpec.List("env", 'e', "Set environment variables"),
        FlagSpec.List("env-file", null, "Read in a file of environment variables"),
        .. HealthOptions.Flags[..6],
        FlagSpec.String("hostname", 'h', "Container host name"),
        FlagSpec.Bool("init", null, "Run an init inside the container that forwards signals and reaps processes"),
        FlagSpec.Bool("interactive", 'i', "Keep STDIN open even if not attached"),
        FlagSpec.List("label", 'l', "Set meta data on a container"),
        FlagSpec.List("log-opt", null, "Log driver options"),
        FlagSpec.String("memory", 'm', "Memory limit", "bytes"),
        FlagSpec.List("mount", null, "Attach a filesystem mount to the container", "mount"),
        FlagSpec.String("name", null, "Assign a name to the container"),
        FlagSpec.String("network", null, "Connect a container to a network", "network"),
        HealthOptions.Flags[6],
        FlagSpec.String("pids-limit", null, "Tune container pids limit (set -1 for unlimited)", "int"),
        FlagSpec.Bool("privileged", null, "Give extended privileges to this container"),
        FlagSpec.Bool("read-only", null, "Mount the container's root filesystem as read only"),
        FlagSpec.String("restart", null, "Restart policy to apply when a container exits", "string", "no"),
        FlagSpec.String("runtime", null, "Runtime to use for this container"),
        FlagSpec.Bool("rm", null, "Automatically remove the container and its associated anonymous volumes when it exits"),
        FlagSpec.List("security-opt", null, "Security Options"),
        FlagSpec.String("stop-signal", null, "Signal to stop the container"),
        FlagSpec.String("stop-timeout", null, "Timeout (in seconds) to stop a container", "int"),
        FlagSpec.List("tmpfs", null, "Mount a tmpfs directory"),
        FlagSpec.Bool("tty", 't', "Allocate a pseudo-TTY"),
        FlagSpec.String("user", 'u', "Username or UID (format: <name|uid>[:<group|gid>])"),
        FlagSpec.List("volume", 'v', "Bind mount a volume"),
        FlagSpec.String("volume-driver", null, "Optional volume driver for the container"),
        FlagSpec.List("volumes-from", null, "Mount volumes from the specified container(s)"),
        FlagSpec.String("workdir", 'w', "Working directory inside the container"),
        .. NetworkRunFlags.Flags,
        .. NetworkRateFlags.Flags,
    ];

    /// <summary>Builds the create body from the flags, the image and the command after it.</summary>
    public static JsonObject BuildCreateBody(ParsedFlags f, string image, IReadOnlyList<string> cmd, Func<string, string?> getEnv, Func<string, string[]> readLines, bool attachStdio)
    {
        var env = Env(f, getEnv, readLines);
        bool tty = f.Bool("tty");
        bool stdin = f.Bool("interactive");
        var config = new JsonObject
        {
            ["Hostname"] = f.String("hostname") ?? "",
            ["User"] = f.String("user") ?? "",
            ["AttachStdin"] = attachStdio && stdin,
            ["AttachStdout"] = attachStdio,
            ["AttachStderr"] = attachStdio,
            ["Tty"] = tty,
            ["OpenStdin"] = stdin,
            ["StdinOnce"] = attachStdio && stdin,
            ["Env"] = env,
            ["Image"] = image,
            ["WorkingDir"] = f.String("workdir") ?? "",
            ["Labels"] = Labels(f.List("label")),
        };
        if (cmd.Count > 0)
        {
            config["Cmd"] = new JsonArray(cmd.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        }
        if (f.Changed("entrypoint"))
        {
            config["Entrypoint"] = new JsonArray(JsonValue.Create(f.String("entrypoint") ?? ""));
        }
        if (f.String("stop-signal") is { Length: > 0 } sig)
        {
            config["StopSignal"] = sig;
        }
        if (f.Changed("stop-timeout"))
        {
            config["StopTimeout"] = ParseInt(f.String("stop-timeout")!, "--stop-timeout");
        }
        if (HealthOptions.Build(f) is { } health)
        {
            config["Healthcheck"] = health;
        }

        var binds = new JsonArray();
        var volumes = new JsonObject();
        foreach (var v in f.List("volume").Distinct(StringComparer.Ordinal))
        {
            if (MountFlag.ParseVolume(v, AbsolutePath) is { } bind)
            {
                binds.Add(bind);
            }
            else
            {
                volumes[v] = new JsonObject();
            }
        }

        var mounts = new JsonArray(f.List("mount").Select(m => (JsonNode?)MountFlag.Parse(m, AbsolutePath)).ToArray());
        if (volumes.Count > 0)
        {
            config["Volumes"] = volumes;
        }
        var tmpfs = new JsonObject();
        foreach (var t in f.List("tmpfs"))
        {
            int colon = t.IndexOf(':', StringComparison.Ordinal);
            tmpfs[colon < 0 ? t : t[..colon]] = colon < 0 ? "" : t[(colon + 1)..];
        }
        var logOpts = new JsonObject();
        foreach (var o in f.List("log-opt"))
        {
            int eq = o.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new CliErrorException($"invalid argument \"{o}\" for \"--log-opt\" flag: invalid key value pair format in log-opt", 125);
            }
            logOpts[o[..eq]] = o[(eq + 1)..];
        }
        var host = new JsonObject
        {
            ["Binds"] = binds.Count > 0 ? binds : null,
            ["LogConfig"] = new JsonObject { ["Type"] = "", ["Config"] = logOpts },
            ["NetworkMode"] = f.String("network") is { Length: > 0 } net ? net : "default",
            ["RestartPolicy"] = RestartPolicy(f.String("restart") ?? "no"),
            ["AutoRemove"] = f.Bool("rm"),
            ["CapAdd"] = Strings(f.List("cap-add")),
            ["CapDrop"] = Strings(f.List("cap-drop")),
            ["Privileged"] = f.Bool("privileged"),
            ["ReadonlyRootfs"] = f.Bool("read-only"),
            ["SecurityOpt"] = Strings(f.List("security-opt")),
        };
        if (tmpfs.Count > 0)
        {
            host["Tmpfs"] = tmpfs;
        }
        if (mounts.Count > 0)
        {
            host["Mounts"] = mounts;
        }
        if (f.List("volumes-from") is { Count: > 0 } from)
        {
            host["VolumesFrom"] = Strings(from);
        }
        if (f.String("volume-driver") is { Length: > 0 } volumeDriver)
        {
            host["VolumeDriver"] = volumeDriver;
        }
        if (f.Bool("init"))
        {
            host["Init"] = true;
        }
        if (f.String("runtime") is { Length: > 0 } runtime)
        {
            host["Runtime"] = runtime;
        }
        if (f.String("memory") is { Length: > 0 } mem)
        {
            host["Memory"] = ParseMemory(mem);
        }
        if (f.String("cpus") is { Length: > 0 } cpus)
        {
            host["NanoCpus"] = ParseCpus(cpus);
        }
        if (f.Changed("cpu-rt-period"))
        {
            host["CpuRealtimePeriod"] = ParseInt(f.String("cpu-rt-period")!, "--cpu-rt-period");
        }
        if (f.Changed("cpu-rt-runtime"))
        {
            host["CpuRealtimeRuntime"] = ParseInt(f.String("cpu-rt-runtime")!, "--cpu-rt-runtime");
        }
        if (f.Changed("pids-limit"))
        {
            host["PidsLimit"] = ParseInt(f.String("pids-limit")!, "--pids-limit");
        }
        NetworkRunFlags.Apply(f, config, host);
        NetworkRateFlags.Apply(f, host);
        config["HostConfig"] = host;
        return config;
    }

    private static string AbsolutePath(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
    /// <summary>-e and --env-file as docker reads them (files first); a bare NAME takes the client's value.</summary>
    public static JsonArray Env(ParsedFlags f, Func<string, string?> getEnv, Func<string, string[]> readLines)
    {
        var env = new JsonArray();
        foreach (var file in f.List("env-file"))
        {
            foreach (var raw in readLines(file))
            {
                string line = raw.TrimStart();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }
                env.Add(ExpandEnv(line, getEnv));
            }
        }
        foreach (var e in f.List("env"))
        {
            env.Add(ExpandEnv(e, getEnv));
        }
        return env;
    }

    private static JsonArray? Strings(IReadOnlyList<string> values) =>
        values.Count == 0 ? null : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static string ExpandEnv(string e, Func<string, string?> getEnv)
    {
        if (e.Contains('=', StringComparison.Ordinal))
        {
            if (e.StartsWith('='))
            {
                throw new CliErrorException($"invalid argument \"{e}\" for \"-e, --env\" flag: invalid environment variable: {e}", 125);
            }
            return e;
        }
        return getEnv(e) is { } v ? e + "=" + v : e;
    }

    private static JsonObject Labels(IReadOnlyList<string> labels)
    {
        var o = new JsonObject();
        foreach (var l in labels)
        {
            int eq = l.IndexOf('=', StringComparison.Ordinal);
            o[eq < 0 ? l : l[..eq]] = eq < 0 ? "" : l[(eq + 1)..];
        }
        return o;
    }

    private static long ParseInt(string s, string flag) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
            : throw new UsageException($"invalid argument \"{s}\" for \"{flag}\" flag: strconv.ParseInt: parsing \"{s}\": invalid syntax");

    /// <summary>docker's opts.ParseRestartPolicy: only the syntax is checked here ("NAME[:COUNT]"); the
    /// daemon validates the name and whether a count is allowed.</summary>
    public static JsonObject RestartPolicy(string value)
    {
        string name = value;
        int count = 0;
        int colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            name = value[..colon];
            string n = value[(colon + 1)..];
            if (name.Length == 0)
            {
                throw new CliErrorException("invalid restart policy format: no policy provided before colon", 125);
            }
            if (n.Length > 0 && !int.TryParse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count))
            {
                throw new CliErrorException("invalid restart policy format: maximum retry count must be an integer", 125);
            }
        }
        return new JsonObject { ["Name"] = name, ["MaximumRetryCount"] = count };
    }

    /// <summary>go-units RAMInBytes: binary multiples, "64m" = 64 MiB, optional "b"/"ib" suffix.</summary>
    public static long ParseMemory(string value, string flag = "-m, --memory")
    {
        var m = System.Text.RegularExpressions.Regex.Match(value, @"^(\d+(?:\.\d+)?)(.*)$");
        if (!m.Success)
        {
            throw new UsageException($"invalid argument \"{value}\" for \"{flag}\" flag: invalid size: '{value}'");
        }
        string suffix = m.Groups[2].Value.TrimStart(' ');
        string unit = suffix.ToLowerInvariant();
        int power = unit switch
        {
            "" or "b" => 0,
            "k" or "kb" or "kib" => 1,
            "m" or "mb" or "mib" => 2,
            "g" or "gb" or "gib" => 3,
            "t" or "tb" or "tib" => 4,
            "p" or "pb" or "pib" => 5,
            _ => throw new UsageException($"invalid argument \"{value}\" for \"{flag}\" flag: invalid suffix: '{suffix}'"),
        };
        double n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return (long)(n * Math.Pow(1024, power));
    }

    /// <summary>--cpus as NanoCPUs: 0.5 = 500000000.</summary>
    public static long ParseCpus(string value)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d))
        {
            throw new UsageException($"invalid argument \"{value}\" for \"--cpus\" flag: failed to parse {value} as a rational number");
        }
        return (long)(d * 1_000_000_000m);
    }
}
