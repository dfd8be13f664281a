using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>network prune</c>: unused user-defined networks.</summary>
internal sealed class NetworkPruneCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "Remove all unused networks",
        [
            FlagSpec.List("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter"),
            FlagSpec.Bool("force", 'f', "Do not prompt for confirmation"),
        ],
        ArgsRule.None);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        if (!f.Bool("force"))
        {
            if (!await PruneConfirmation.ConfirmAsync(context, "WARNING! This will remove all custom networks not used by at least one container.", cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }

        var report = await context.Client.PostJsonAsync("/networks/prune", new QueryBuilder().Add("filters", Filters.Encode(Filters.Parse(f.List("filter")))), null, cancellationToken).ConfigureAwait(false);
        var sb = new StringBuilder();
        if (report?["NetworksDeleted"] is JsonArray { Count: > 0 } deleted)
        {
            sb.Append("Deleted Networks:\n");
            foreach (var item in deleted)
            {
                sb.Append(ImageRows.Str(item)).Append('\n');
            }
        }

        await context.Out.WriteAsync(sb.ToString()).ConfigureAwait(false);
        return 0;
    }
}
