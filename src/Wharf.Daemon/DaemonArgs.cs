using System.Text.Json;

namespace Wharf.Daemon;

/// <summary>
/// Parses dockerd-compatible flags and merges daemon.json. As dockerd does, a setting given both
/// as a flag and in the file is an error, and unknown keys in the file are errors.
/// </summary>
internal static class DaemonArgs
{
    public const string Usage = """
        Usage:	wharfd [OPTIONS]

        A self-sufficient runtime for containers, Docker Engine API compatible.

        Options:
              --add-runtime runtime    Register an additional OCI compatible runtime (NAME=PATH)
              --bip string             Specify network bridge IP
          -b, --bridge string          Attach containers to a network bridge (default "wharf0"; "none" disables it)
              --cgroup-parent string   Parent cgroup for all containers (default "/wharf")
              --config-file string     Daemon configuration file (default "/etc/wharf/daemon.json")
              --cpu-rt-period int      Limit the CPU real-time period in microseconds for the parent cgroup for all containers
              --cpu-rt-runtime int     Limit the CPU real-time runtime in microseconds for the parent cgroup for all containers
              --data-root string       Root directory of persistent Wharf state (default "/var/lib/wharf")
          -D, --debug                  Enable debug mode
              --default-runtime string Default OCI runtime for containers (default "runc")
              --exec-root string       Root directory for execution state files (default "/run/wharf")
          -H, --host list              Daemon socket(s) to connect to (default unix:///run/wharf/wharf.sock)
              --insecure-registry list Enable insecure registry communication
              --icc                    Enable inter-container communication on the default bridge (default true)
              --ip string              Default IP when binding container ports (default 0.0.0.0)
              --ip-masq                Enable IP masquerading on the default bridge (default true)
              --iptables               Enable addition of iptables rules (default true)
              --label list             Set key=value labels to the daemon
          -l, --log-level string       Set the logging level ("debug"|"info"|"warn"|"error"|"fatal") (default "info")
              --max-concurrent-downloads int  Set the max concurrent downloads (default 3)
              --max-concurrent-uploads int    Set the max concurrent uploads (default 5)
              --mtu int                Set the containers network MTU on the default bridge (default 1500)
          -p, --pidfile string         Path to use for daemon PID file
              --registry-mirror list   Preferred registry mirror
          -s, --storage-driver string  Storage driver to use ("overlay2"|"vfs")
          -v, --version                Print version information and quit
        """;

    private static readonly HashSet<string> KnownKeys =
    [
        "hosts", "data-root", "exec-root", "pidfile", "log-level", "debug", "storage-driver", "labels",
        "registry-mirrors", "insecure-registries", "cgroup-parent", "max-concurrent-downloads", "max-concurrent-uploads",
        "bridge", "bip", "iptables", "default-address-pools", "host-gateway-ip", "icc", "ip-masq", "ip", "mtu",
        "cpu-rt-period", "cpu-rt-runtime", "runtimes", "default-runtime",
    ];

    public static DaemonOptions Parse(string[] args)
    {
        var o = new DaemonOptions();
        var given = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }

                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"flag needs an argument: {arg}");
                }

                return args[++i];
            }

            switch (arg)
            {
                case "-H" or "--host":
                    o.Hosts.Add(Value());
                    given.Add("hosts");
                    break;
                case "--data-root" or "-g" or "--graph":
                    o = o with { DataRoot = Value() };
                    given.Add("data-root");
                    break;
                case "--exec-root":
                    o = o with { ExecRoot = Value() };
                    given.Add("exec-root");
                    break;
                case "-p" or "--pidfile":
                    o = o with { Pidfile = Value() };
                    given.Add("pidfile");
                    break;
                case "--config-file":
                    o = o with { ConfigFile = Value(), ConfigFileGiven = true };
                    break;
                case "-l" or "--log-level":
                    o = o with { LogLevel = Value() };
                    given.Add("log-level");
                    break;
                case "-D" or "--debug":
                    o = o with { Debug = inline is null || inline == "true" };
                    given.Add("debug");
                    break;
                case "-s" or "--storage-driver":
                    o = o with { StorageDriver = Value() };
                    given.Add("storage-driver");
                    break;
                case "--label":
                    o.Labels.Add(Value());
                    given.Add("labels");
                    break;
                case "--registry-mirror":
                    o.RegistryMirrors.Add(Value());
                    given.Add("registry-mirrors");
                    break;
                case "--cgroup-parent":
                    o = o with { CgroupParent = Value() };
                    given.Add("cgroup-parent");
                    break;
                case "--max-concurrent-downloads":
                    o = o with { MaxConcurrentDownloads = Count("max-concurrent-downloads", Value()) };
                    given.Add("max-concurrent-downloads");
                    break;
                case "--max-concurrent-uploads":
                    o = o with { MaxConcurrentUploads = Count("max-concurrent-uploads", Value()) };
                    given.Add("max-concurrent-uploads");
                    break;
                case "--insecure-registry":
                    o.InsecureRegistries.Add(Value());
                    given.Add("insecure-registries");
                    break;
                case "-b" or "--bridge":
                    o = o with { Bridge = Value() };
                    given.Add("bridge");
                    break;
                case "--bip":
                    o = o with { Bip = Value() };
                    given.Add("bip");
                    break;
                case "--host-gateway-ip":
                    o = o with { HostGatewayIp = GatewayIp("host-gateway-ip", Value()) };
                    given.Add("host-gateway-ip");
                    break;
                case "--iptables":
                    o = o with { Iptables = inline is null || inline == "true" };
                    given.Add("iptables");
                    break;
                case "--icc":
                    o = o with { Icc = inline is null || inline == "true" };
                    given.Add("icc");
                    break;
                case "--ip-masq":
                    o = o with { IpMasquerade = inline is null || inline == "true" };
                    given.Add("ip-masq");
                    break;
                case "--ip":
                    o = o with { DefaultBindingIp = GatewayIp("ip", Value()) };
                    given.Add("ip");
                    break;
                case "--mtu":
                    o = o with { Mtu = Mtu(Value()) };
                    given.Add("mtu");
                    break;
                case "--cpu-rt-period":
                    o = o with { CpuRealtimePeriod = Microseconds("cpu-rt-period", Value()) };
                    given.Add("cpu-rt-period");
                    break;
                case "--cpu-rt-runtime":
                    o = o with { CpuRealtimeRuntime = Microseconds("cpu-rt-runtime", Value()) };
                    given.Add("cpu-rt-runtime");
                    break;
                case "--add-runtime":
                    o.Runtimes.Add(RuntimeFlag(Value()));
                    given.Add("runtimes");
                    break;
                case "--default-runtime":
                    o = o with { DefaultRuntime = Value() };
                    given.Add("default-runtime");
                    break;
                case "-h" or "--help":
                    return o with { ShowHelp = true };
                case "-v" or "--version":
                    return o with { ShowVersion = true };
                default:
                    throw new ArgumentException($"unknown flag: {arg}");
            }
        }

        if (File.Exists(o.ConfigFile))
        {
            o = MergeFile(o, File.ReadAllText(o.ConfigFile), given);
        }
        else if (o.ConfigFileGiven)
        {
            throw new ArgumentException($"unable to configure the Wharf daemon with file {o.ConfigFile}: no such file");
        }

        if (o.Hosts.Count == 0)
        {
            o.Hosts.Add(DaemonOptions.DefaultSocket);
        }

        RuntimeOptions.Check(o.Runtimes, o.DefaultRuntime);
        if (o.LogLevel is not ("debug" or "info" or "warn" or "error" or "fatal"))
        {
            throw new ArgumentException($"unable to parse logging level: {o.LogLevel}");
        }

        return o;
    }

    internal static DaemonOptions MergeFile(DaemonOptions o, string json, HashSet<string> given)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"unable to configure the Wharf daemon with file {o.ConfigFile}: not a JSON object");
        }

        var unknown = doc.RootElement.EnumerateObject().Select(p => p.Name).Where(n => !KnownKeys.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"unable to configure the Wharf daemon with file {o.ConfigFile}: the following directives don't match any configuration option: {string.Join(", ", unknown)}");
        }

        var both = doc.RootElement.EnumerateObject().Select(p => p.Name).Where(given.Contains).ToList();
        if (both.Count > 0)
        {
            throw new ArgumentException($"unable to configure the Wharf daemon with file {o.ConfigFile}: the following directives are specified both as a flag and in the configuration file: {string.Join(", ", both)}");
        }

        foreach (var p in doc.RootElement.EnumerateObject())
        {
            o = p.Name switch
            {
                "hosts" => o with { Hosts = Strings(p) },
                "data-root" => o with { DataRoot = String(p) },
                "exec-root" => o with { ExecRoot = String(p) },
                "pidfile" => o with { Pidfile = String(p) },
                "log-level" => o with { LogLevel = String(p) },
                "debug" => o with { Debug = p.Value.ValueKind == JsonValueKind.True },
                "storage-driver" => o with { StorageDriver = String(p) },
                "labels" => o with { Labels = Strings(p) },
                "registry-mirrors" => o with { RegistryMirrors = Strings(p) },
                "insecure-registries" => o with { InsecureRegistries = Strings(p) },
                "cgroup-parent" => o with { CgroupParent = String(p) },
                "max-concurrent-downloads" => o with { MaxConcurrentDownloads = Count(p.Name, p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetRawText() : "") },
                "max-concurrent-uploads" => o with { MaxConcurrentUploads = Count(p.Name, p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetRawText() : "") },
                "bridge" => o with { Bridge = String(p) },
                "bip" => o with { Bip = String(p) },
                "iptables" => o with { Iptables = p.Value.ValueKind != JsonValueKind.False },
                "default-address-pools" => o with { DefaultAddressPools = Pools(p) },
                "host-gateway-ip" => o with { HostGatewayIp = GatewayIp(p.Name, String(p)) },
                "icc" => o with { Icc = p.Value.ValueKind != JsonValueKind.False },
                "ip-masq" => o with { IpMasquerade = p.Value.ValueKind != JsonValueKind.False },
                "ip" => o with { DefaultBindingIp = GatewayIp(p.Name, String(p)) },
                "mtu" => o with { Mtu = Mtu(p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetRawText() : "") },
                "cpu-rt-period" => o with { CpuRealtimePeriod = Microseconds(p.Name, p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetRawText() : "") },
                "cpu-rt-runtime" => o with { CpuRealtimeRuntime = Microseconds(p.Name, p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetRawText() : "") },
                "runtimes" => o with { Runtimes = RuntimeOptions.FromJson(p) },
                "default-runtime" => o with { DefaultRuntime = String(p) },
                _ => o,
            };
        }

        return o;
    }

    /// <summary><c>--add-runtime NAME=PATH</c>.</summary>
    private static Core.Containers.OciRuntimeConfig RuntimeFlag(string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 && eq < value.Length - 1
            ? new Core.Containers.OciRuntimeConfig { Name = value[..eq], Path = value[(eq + 1)..] }
            : throw new ArgumentException($"invalid argument \"{value}\" for \"--add-runtime\" flag: runtime must be specified as NAME=PATH");
    }

    /// <summary>The address <c>host-gateway</c> stands for in <c>--add-host</c>: an IPv4 address.</summary>
    private static string GatewayIp(string name, string value)
        => System.Net.IPAddress.TryParse(value, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? a.ToString()
            : throw new ArgumentException($"invalid value for \"{name}\": {value}: not an IPv4 address");

    /// <summary><c>--mtu</c>: 0 (the default, 1500) or 68 to 65535.</summary>
    private static int Mtu(string value)
        => int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && (n == 0 || n is >= 68 and <= 65535)
            ? n
            : throw new ArgumentException($"invalid value for \"mtu\": {value}: must be 0 or from 68 to 65535");

    /// <summary><c>--cpu-rt-period</c>/<c>--cpu-rt-runtime</c>: an integer number of microseconds (dockerd's int64 flag; -1 is the kernel's "unlimited" runtime).</summary>
    private static long Microseconds(string name, string value)
        => long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"invalid value for \"{name}\": {value}: must be an integer");

    /// <summary>A transfer concurrency: a positive integer, as dockerd requires.</summary>
    private static int Count(string name, string value)
        => int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"invalid value for \"{name}\": {value}: must be a positive integer");

    /// <summary><c>[{"base":"10.10.0.0/16","size":24}, ...]</c> as dockerd takes it.</summary>
    private static List<(string Base, int Size)> Pools(JsonProperty p)
    {
        if (p.Value.ValueKind != JsonValueKind.Array)
        {
            throw new ArgumentException($"invalid value for \"{p.Name}\": expected a list of {{\"base\", \"size\"}} objects");
        }

        var list = new List<(string, int)>();
        foreach (var e in p.Value.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("base", out var b) || b.ValueKind != JsonValueKind.String
                || !e.TryGetProperty("size", out var s) || !s.TryGetInt32(out var size) || size is < 1 or > 30)
            {
                throw new ArgumentException($"invalid value for \"{p.Name}\": each pool needs a \"base\" CIDR and a \"size\" from 1 to 30");
            }

            list.Add((b.GetString()!, size));
        }

        return list;
    }

    private static string String(JsonProperty p)
        => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new ArgumentException($"invalid value for \"{p.Name}\": expected a string");

    private static List<string> Strings(JsonProperty p)
        => p.Value.ValueKind == JsonValueKind.Array && p.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? [.. p.Value.EnumerateArray().Select(e => e.GetString()!)]
            : throw new ArgumentException($"invalid value for \"{p.Name}\": expected a list of strings");
}
