using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>container prune</c>.</summary>
internal sealed class ContainerPruneCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "Remove all stopped containers",
        [
            FlagSpec.List("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter"),
            FlagSpec.Bool("force", 'f', "Do not prompt for confirmation"),
        ],
        ArgsRule.None);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var filters = Filters.Parse(invocation.Flags.List("filter"));
        if (!invocation.Flags.Bool("force"))
        {
            if (!await PruneConfirmation.ConfirmAsync(context, "WARNING! This will remove all stopped containers.", cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }
        var report = await context.Client.PostJsonAsync("/containers/prune", new QueryBuilder().Add("filters", Filters.Encode(filters)), null, cancellationToken).ConfigureAwait(false);
        var sb = new StringBuilder();
        if (report?["ContainersDeleted"] is JsonArray { Count: > 0 } deleted)
        {
            sb.Append("Deleted Containers:\n");
            foreach (var item in deleted)
            {
                sb.Append(ImageRows.Str(item)).Append('\n');
            }
            sb.Append('\n');
        }
        sb.Append("Total reclaimed space: ").Append(Humanize.SizeDefault(ImageRows.Long(report?["SpaceReclaimed"]))).Append('\n');
        await context.Out.WriteAsync(sb.ToString()).ConfigureAwait(false);
        return 0;
    }
}
