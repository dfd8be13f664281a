using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>info</c>, <c>system info</c>.</summary>
internal sealed class InfoCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "Display system-wide information",
        [FlagSpec.String("format", 'f', FormatUsage.Inspect)],
        ArgsRule.None,
        ["system info", "info"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string format = invocation.Flags.String("format") ?? "";
        var template = format.Length == 0 ? null : OutputFormat.ParseTemplate(OutputFormat.IsJson(format) ? "{{json .}}" : format);
        var clientInfo = new JsonObject
        {
            ["Debug"] = false,
            ["Version"] = VersionCommand.ClientVersion,
            ["Context"] = "default",
            ["Plugins"] = new JsonArray(),
            ["Warnings"] = null,
        };
        if (template is not null)
        {
            var info = await context.Client.GetJsonAsync("/info", null, cancellationToken).ConfigureAwait(false) as JsonObject ?? [];
            info["ClientInfo"] = clientInfo;
            await context.Out.WriteAsync(OutputFormat.RenderOne(template, info)).ConfigureAwait(false);
            return 0;
        }
        var sb = new StringBuilder();
        sb.Append("Client:\n Version:    ").Append(VersionCommand.ClientVersion).Append("\n Context:    default\n Debug Mode: false\n\nServer:\n");
        await context.Out.WriteAsync(sb.ToString()).ConfigureAwait(false);
        JsonObject server;
        try
        {
            server = await context.Client.GetJsonAsync("/info", null, cancellationToken).ConfigureAwait(false) as JsonObject ?? [];
        }
        catch (Exception e) when (e is DaemonErrorException or DaemonUnreachableException)
        {
            throw new CliErrorException(e is DaemonErrorException ? "Error response from daemon: " + e.Message : e.Message);
        }
        await context.Out.WriteAsync(Server(server)).ConfigureAwait(false);
        foreach (var w in ImageRows.Strings(server["Warnings"]))
        {
            await context.Err.WriteLineAsync(w).ConfigureAwait(false);
        }
        return 0;
    }

    private static string S(JsonNode? n) => n switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => "",
    };

    private static string Server(JsonObject i)
    {
        var sb = new StringBuilder();
        void Line(string label, JsonNode? value) => sb.Append(' ').Append(label).Append(": ").Append(S(value)).Append('\n');
        Line("Containers", i["Containers"]);
        sb.Append("  Running: ").Append(S(i["ContainersRunning"])).Append('\n');
        sb.Append("  Paused: ").Append(S(i["ContainersPaused"])).Append('\n');
        sb.Append("  Stopped: ").Append(S(i["ContainersStopped"])).Append('\n');
        Line("Images", i["Images"]);
        Line("Server Version", i["ServerVersion"]);
        Line("Storage Driver", i["Driver"]);
        foreach (var pair in (i["DriverStatus"] as JsonArray ?? []).OfType<JsonArray>())
        {
            sb.Append("  ").Append(S(pair[0])).Append(": ").Append(pair.Count > 1 ? S(pair[1]) : "").Append('\n');
        }
        Line("Logging Driver", i["LoggingDriver"]);
        Line("Cgroup Driver", i["CgroupDriver"]);
        Line("Cgroup Version", i["CgroupVersion"]);
        if (i["Plugins"] is JsonObject plugins)
        {
            sb.Append(" Plugins:\n");
            sb.Append("  Volume: ").AppendJoin(' ', ImageRows.Strings(plugins["Volume"])).Append('\n');
            sb.Append("  Network: ").AppendJoin(' ', ImageRows.Strings(plugins["Network"])).Append('\n');
            if (ImageRows.Strings(plugins["Authorization"]) is { Count: > 0 } authz)
            {
                sb.Append("  Authorization: ").AppendJoin(' ', authz).Append('\n');
            }
            sb.Append("  Log: ").AppendJoin(' ', ImageRows.Strings(plugins["Log"])).Append('\n');
        }
        Line("Swarm", i["Swarm"]?["LocalNodeState"]);
        if (i["Runtimes"] is JsonObject runtimes && runtimes.Count > 0)
        {
            sb.Append(" Runtimes: ").AppendJoin(' ', runtimes.Select(kv => kv.Key)).Append('\n');
            Line("Default Runtime", i["DefaultRuntime"]);
        }
        Line("Init Binary", i["InitBinary"]);
        sb.Append(" containerd version: ").Append(S(i["ContainerdCommit"]?["ID"])).Append('\n');
        sb.Append(" runc version: ").Append(S(i["RuncCommit"]?["ID"])).Append('\n');
        sb.Append(" init version: ").Append(S(i["InitCommit"]?["ID"])).Append('\n');
        var security = ImageRows.Strings(i["SecurityOptions"]);
        if (security.Count > 0)
        {
            sb.Append(" Security Options:\n");
            foreach (var opt in security)
            {
                var kvs = opt.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToList();
                foreach (var kv in kvs)
                {
                    if (kv[0] == "name")
                    {
                        sb.Append("  ").Append(kv[1]).Append('\n');
                    }
                    else
                    {
                        sb.Append("   ").Append(char.ToUpperInvariant(kv[0][0])).Append(kv[0][1..]).Append(": ").Append(kv[1]).Append('\n');
                    }
                }
            }
        }
        Line("Kernel Version", i["KernelVersion"]);
        Line("Operating System", i["OperatingSystem"]);
        Line("OSType", i["OSType"]);
        Line("Architecture", i["Architecture"]);
        Line("CPUs", i["NCPU"]);
        sb.Append(" Total Memory: ").Append(Humanize.BytesSize(ImageRows.Long(i["MemTotal"]))).Append('\n');
        Line("Name", i["Name"]);
        Line("ID", i["ID"]);
        Line("Docker Root Dir", i["DockerRootDir"]);
        sb.Append(" Debug Mode: ").Append(S(i["Debug"])).Append('\n');
        foreach (var (label, key) in new[] { ("HTTP Proxy", "HttpProxy"), ("HTTPS Proxy", "HttpsProxy"), ("No Proxy", "NoProxy") })
        {
            if (S(i[key]) is { Length: > 0 } proxy)
            {
                sb.Append(' ').Append(label).Append(": ").Append(proxy).Append('\n');
            }
        }
        if (ImageRows.Strings(i["Labels"]) is { Count: > 0 } labels)
        {
            sb.Append(" Labels:\n");
            foreach (var l in labels)
            {
                sb.Append("  ").Append(l).Append('\n');
            }
        }
        sb.Append(" Experimental: ").Append(S(i["ExperimentalBuild"])).Append('\n');
        var insecure = new List<string>();
        if (i["RegistryConfig"] is JsonObject reg)
        {
            insecure.AddRange(ImageRows.Strings(reg["InsecureRegistryCIDRs"]));
            if (reg["IndexConfigs"] is JsonObject indexes)
            {
                insecure.AddRange(indexes.Where(kv => kv.Value?["Secure"] is JsonValue sv && sv.TryGetValue<bool>(out var secure) && !secure).Select(kv => kv.Key));
            }
            if (insecure.Count > 0)
            {
                sb.Append(" Insecure Registries:\n");
                foreach (var r in insecure)
                {
                    sb.Append("  ").Append(r).Append('\n');
                }
            }
            if (ImageRows.Strings(reg["Mirrors"]) is { Count: > 0 } mirrors)
            {
                sb.Append(" Registry Mirrors:\n");
                foreach (var m in mirrors)
                {
                    sb.Append("  ").Append(m).Append('\n');
                }
            }
        }
        sb.Append(" Live Restore Enabled: ").Append(S(i["LiveRestoreEnabled"])).Append('\n');
        sb.Append('\n');
        return sb.ToString();
    }

    internal static string Invariant(long n) => n.ToString(CultureInfo.InvariantCulture);
}
