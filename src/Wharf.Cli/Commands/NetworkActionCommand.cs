using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>network rm</c>, <c>connect</c>, <c>disconnect</c>: one API call per network (or container), docker's output.</summary>
internal sealed class NetworkActionCommand : ICommand
{
    private readonly string _action;

    private NetworkActionCommand(string action, CommandSpec spec)
    {
        _action = action;
        Spec = spec;
    }

    public CommandSpec Spec { get; }

    public static NetworkActionCommand Rm() => new("rm", new CommandSpec(
        "[OPTIONS] NETWORK [NETWORK...]",
        "Remove one or more networks",
        [FlagSpec.Bool("force", 'f', "Do not error if the network does not exist")],
        ArgsRule.AtLeast(1),
        ["network rm", "network remove"]));

    public static NetworkActionCommand Connect() => new("connect", new CommandSpec(
        "[OPTIONS] NETWORK CONTAINER",
        "Connect a container to a network",
        [
            FlagSpec.List("alias", null, "Add network-scoped alias for the container", "strings"),
            FlagSpec.String("ip", null, "IPv4 address (e.g., \"172.30.100.104\")", "string"),
            FlagSpec.String("mac-address", null, "MAC address of the container on this network", "string"),
        ],
        ArgsRule.Exactly(2)));

    public static NetworkActionCommand Disconnect() => new("disconnect", new CommandSpec(
        "[OPTIONS] NETWORK CONTAINER",
        "Disconnect a container from a network",
        [FlagSpec.Bool("force", 'f', "Force the container to disconnect from a network")],
        ArgsRule.Exactly(2)));

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        switch (_action)
        {
            case "connect":
                var endpoint = new JsonObject { ["Aliases"] = new JsonArray([.. f.List("alias").Select(a => (JsonNode?)a)]) };
                if (f.String("ip") is { Length: > 0 } ip)
                {
                    endpoint["IPAMConfig"] = new JsonObject { ["IPv4Address"] = ip };
                }

                if (f.String("mac-address") is { Length: > 0 } mac)
                {
                    endpoint["MacAddress"] = mac;
                }

                await context.Client.PostJsonAsync($"/networks/{ApiPath.Escape(invocation.Args[0])}/connect", null, new JsonObject { ["Container"] = invocation.Args[1], ["EndpointConfig"] = endpoint }, cancellationToken).ConfigureAwait(false);
                return 0;
            case "disconnect":
                await context.Client.PostJsonAsync($"/networks/{ApiPath.Escape(invocation.Args[0])}/disconnect", null, new JsonObject { ["Container"] = invocation.Args[1], ["Force"] = f.Bool("force") }, cancellationToken).ConfigureAwait(false);
                return 0;
        }

        var errors = new List<string>();
        foreach (var name in invocation.Args)
        {
            try
            {
                await context.Client.DeleteJsonAsync($"/networks/{ApiPath.Escape(name)}", null, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            }
            catch (DaemonErrorException e) when (!(f.Bool("force") && e.Message.EndsWith("not found", StringComparison.Ordinal)))
            {
                errors.Add("Error response from daemon: " + e.Message);
            }
            catch (DaemonErrorException)
            {
            }
        }

        return errors.Count > 0 ? throw new CliErrorException(string.Join("\n", errors)) : 0;
    }
}
