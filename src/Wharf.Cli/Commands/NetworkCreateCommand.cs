using System.Text.Json.Nodes;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary><c>network create</c>.</summary>
internal sealed class NetworkCreateCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] NETWORK",
        "Create a network",
        [
            FlagSpec.Bool("attachable", null, "Enable manual container attachment"),
            FlagSpec.String("driver", 'd', "Driver to manage the Network", "string", "bridge"),
            FlagSpec.List("gateway", null, "IPv4 or IPv6 Gateway for the master subnet", "strings"),
            FlagSpec.Bool("internal", null, "Restrict external access to the network"),
            FlagSpec.List("ip-range", null, "Allocate container ip from a sub-range", "strings"),
            FlagSpec.List("label", null, "Set metadata on a network"),
            FlagSpec.List("opt", 'o', "Set driver specific options", "map"),
            FlagSpec.List("subnet", null, "Subnet in CIDR format that represents a network segment", "strings"),
        ],
        ArgsRule.Exactly(1));

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        var subnets = f.List("subnet");
        var gateways = f.List("gateway");
        var ranges = f.List("ip-range");
        if (gateways.Count > subnets.Count || ranges.Count > subnets.Count)
        {
            throw new CliErrorException("every ip-range or gateway must have a corresponding subnet");
        }

        var config = new JsonArray();
        for (var i = 0; i < subnets.Count; i++)
        {
            var pool = new JsonObject { ["Subnet"] = subnets[i] };
            if (i < ranges.Count)
            {
                pool["IPRange"] = ranges[i];
            }

            if (i < gateways.Count)
            {
                pool["Gateway"] = gateways[i];
            }

            config.Add(pool);
        }

        var body = new JsonObject
        {
            ["Name"] = invocation.Args[0],
            ["Driver"] = f.String("driver") ?? "bridge",
            ["Internal"] = f.Bool("internal"),
            ["Attachable"] = f.Bool("attachable"),
            ["IPAM"] = new JsonObject { ["Driver"] = "default", ["Config"] = config },
            ["Options"] = VolumeCreateCommand.KeyValues(f.List("opt"), null),
            ["Labels"] = VolumeCreateCommand.KeyValues(f.List("label"), "label"),
        };
        var created = await context.Client.PostJsonAsync("/networks/create", null, body, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(ImageRows.Str(created?["Id"])).ConfigureAwait(false);
        return 0;
    }
}
