using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>version</c>: client and server versions.</summary>
internal sealed class VersionCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "Show the Docker version information",
        [FlagSpec.String("format", 'f', FormatUsage.Inspect)],
        ArgsRule.None);

    public static string ClientCommit =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+') is [_, var rev, ..] ? rev : "unknown";

    public static string ClientVersion =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.1.0";

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string format = invocation.Flags.String("format") ?? "";
        var template = format.Length == 0 ? null : OutputFormat.ParseTemplate(OutputFormat.IsJson(format) ? "{{json .}}" : format);
        JsonObject? server = null;
        Exception? serverError = null;
        try
        {
            await context.Client.NegotiateAsync(cancellationToken).ConfigureAwait(false);
            server = await context.Client.GetJsonAsync("/version", null, cancellationToken).ConfigureAwait(false) as JsonObject;
        }
        catch (Exception e) when (e is DaemonErrorException or DaemonUnreachableException)
        {
            serverError = e;
        }
        if (server is not null)
        {
            NormalizeServer(server);
        }
        var client = new JsonObject
        {
            ["Version"] = ClientVersion,
            ["ApiVersion"] = context.Client.Version ?? ApiVersion.ClientMax,
            ["DefaultAPIVersion"] = ApiVersion.ClientMax,
            ["GitCommit"] = ClientCommit,
            ["GoVersion"] = RuntimeInformation.FrameworkDescription,
            ["Os"] = "linux",
            ["Arch"] = RuntimeInformation.OSArchitecture switch { Architecture.X64 => "amd64", Architecture.Arm64 => "arm64", var a => a.ToString().ToLowerInvariant() },
            ["BuildTime"] = BuildTime(),
            ["Context"] = "default",
        };
        var data = new JsonObject { ["Client"] = client, ["Server"] = server };
        string output = template is not null ? OutputFormat.RenderOne(template, data) : Default(client, server);
        await context.Out.WriteAsync(output).ConfigureAwait(false);
        if (serverError is not null)
        {
            throw serverError;
        }
        return 0;
    }

    /// <summary>As docker: make sure an Engine component exists and show its build time in ANSIC form.</summary>
    private static void NormalizeServer(JsonObject server)
    {
        if (server["Components"] is not JsonArray components)
        {
            components = [];
            server["Components"] = components;
        }
        var engine = components.OfType<JsonObject>().FirstOrDefault(c => S(c["Name"]) == "Engine");
        if (engine is null)
        {
            engine = new JsonObject
            {
                ["Name"] = "Engine",
                ["Version"] = S(server["Version"]),
                ["Details"] = new JsonObject
                {
                    ["ApiVersion"] = S(server["ApiVersion"]),
                    ["MinAPIVersion"] = S(server["MinAPIVersion"]),
                    ["GitCommit"] = S(server["GitCommit"]),
                    ["GoVersion"] = S(server["GoVersion"]),
                    ["Os"] = S(server["Os"]),
                    ["Arch"] = S(server["Arch"]),
                    ["BuildTime"] = S(server["BuildTime"]),
                    ["Experimental"] = server["Experimental"] is JsonValue ev && ev.TryGetValue<bool>(out var exp) && exp ? "true" : "false",
                },
            };
            components.Insert(0, engine);
        }
        if (engine["Details"] is JsonObject details && S(details["BuildTime"]) is { Length: > 0 } bt &&
            DateTimeOffset.TryParse(bt, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            details["BuildTime"] = Ansic(parsed.UtcDateTime == parsed.DateTime ? parsed.UtcDateTime : parsed.DateTime);
        }
    }

    private static string Ansic(DateTime t) =>
        t.ToString("ddd MMM ", CultureInfo.InvariantCulture) + t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + t.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);

    private static string BuildTime()
    {
        // Go's time.ANSIC.
        return Ansic(File.GetLastWriteTimeUtc(typeof(VersionCommand).Assembly.Location));
    }

    private static string S(JsonNode? n) => ImageRows.Str(n);

    private static string Default(JsonObject client, JsonObject? server)
    {
        var sb = new StringBuilder();
        sb.Append("Client:\n");
        sb.Append(" Version:\t").Append(S(client["Version"])).Append('\n');
        sb.Append(" API version:\t").Append(S(client["ApiVersion"]));
        if (S(client["ApiVersion"]) != S(client["DefaultAPIVersion"]))
        {
            sb.Append(" (downgraded from ").Append(S(client["DefaultAPIVersion"])).Append(')');
        }
        sb.Append('\n');
        sb.Append(" Go version:\t").Append(S(client["GoVersion"])).Append('\n');
        sb.Append(" Git commit:\t").Append(S(client["GitCommit"])).Append('\n');
        sb.Append(" Built:\t").Append(S(client["BuildTime"])).Append('\n');
        sb.Append(" OS/Arch:\t").Append(S(client["Os"])).Append('/').Append(S(client["Arch"])).Append('\n');
        sb.Append(" Context:\t").Append(S(client["Context"])).Append('\n');
        if (server is not null)
        {
            sb.Append("\nServer:");
            if (S(server["Platform"]?["Name"]) is { Length: > 0 } platform)
            {
                sb.Append(' ').Append(platform);
            }
            sb.Append('\n');
            foreach (var c in (server["Components"] as JsonArray ?? []).OfType<JsonObject>())
            {
                string name = S(c["Name"]);
                var details = c["Details"] as JsonObject ?? [];
                sb.Append(' ').Append(name).Append(":\n");
                if (name == "Engine")
                {
                    sb.Append("  Version:\t").Append(S(c["Version"])).Append('\n');
                    sb.Append("  API version:\t").Append(S(details["ApiVersion"])).Append(" (minimum version ").Append(S(details["MinAPIVersion"])).Append(")\n");
                    sb.Append("  Go version:\t").Append(S(details["GoVersion"])).Append('\n');
                    sb.Append("  Git commit:\t").Append(S(details["GitCommit"])).Append('\n');
                    sb.Append("  Built:\t").Append(S(details["BuildTime"])).Append('\n');
                    sb.Append("  OS/Arch:\t").Append(S(details["Os"])).Append('/').Append(S(details["Arch"])).Append('\n');
                    sb.Append("  Experimental:\t").Append(S(details["Experimental"])).Append('\n');
                }
                else
                {
                    sb.Append("  Version:\t").Append(S(c["Version"])).Append('\n');
                    foreach (var kv in details.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        sb.Append("  ").Append(kv.Key).Append(":\t").Append(S(kv.Value)).Append('\n');
                    }
                }
            }
        }
        return new TabWriter(minWidth: 20, padding: 1).Format(sb.ToString());
    }
}
