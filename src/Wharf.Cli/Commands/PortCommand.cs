using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>port CONTAINER [PRIVATE_PORT[/PROTO]]</c>: the published ports from NetworkSettings.Ports, as docker prints them.</summary>
internal sealed class PortCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "CONTAINER [PRIVATE_PORT[/PROTO]]",
        "List port mappings or a specific mapping for the container",
        [],
        new ArgsRule(1, 2));

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var c = await context.Client.GetJsonAsync($"/containers/{ApiPath.Escape(invocation.Args[0])}/json", null, cancellationToken).ConfigureAwait(false);
        var ports = c?["NetworkSettings"]?["Ports"] as JsonObject ?? [];
        var sb = new StringBuilder();
        if (invocation.Args.Count == 2)
        {
            var want = invocation.Args[1].Contains('/', StringComparison.Ordinal) ? invocation.Args[1] : invocation.Args[1] + "/tcp";
            if (ports[want] is not JsonArray { Count: > 0 } bindings)
            {
                throw new CliErrorException($"Error: No public port '{want}' published for {invocation.Args[0]}");
            }

            foreach (var b in bindings)
            {
                sb.Append(ImageRows.Str(b?["HostIp"])).Append(':').Append(ImageRows.Str(b?["HostPort"])).Append('\n');
            }
        }
        else
        {
            foreach (var (key, value) in ports.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                foreach (var b in value as JsonArray ?? [])
                {
                    sb.Append(key).Append(" -> ").Append(ImageRows.Str(b?["HostIp"])).Append(':').Append(ImageRows.Str(b?["HostPort"])).Append('\n');
                }
            }
        }

        await context.Out.WriteAsync(sb.ToString()).ConfigureAwait(false);
        return 0;
    }
}
