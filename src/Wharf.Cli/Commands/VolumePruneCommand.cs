using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>volume prune</c>: anonymous unused volumes, or all unused ones with <c>--all</c>.</summary>
internal sealed class VolumePruneCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "Remove unused local volumes",
        [
            FlagSpec.Bool("all", 'a', "Remove all unused volumes, not just anonymous ones"),
            FlagSpec.List("filter", null, "Provide filter values (e.g. \"label=<label>\")", "filter"),
            FlagSpec.Bool("force", 'f', "Do not prompt for confirmation"),
        ],
        ArgsRule.None);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        var filters = Filters.Parse(f.List("filter"));
        string warning = "WARNING! This will remove anonymous local volumes not used by at least one container.";
        if (f.Bool("all"))
        {
            if (filters.Any(kv => kv.Key == "all"))
            {
                throw new CliErrorException("conflicting options: cannot specify both --all and --filter all=1");
            }
            filters.Add(new("all", "true"));
            warning = "WARNING! This will remove all local volumes not used by at least one container.";
        }
        if (!f.Bool("force"))
        {
            if (!await PruneConfirmation.ConfirmAsync(context, warning, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }
        var report = await context.Client.PostJsonAsync("/volumes/prune", new QueryBuilder().Add("filters", Filters.Encode(filters)), null, cancellationToken).ConfigureAwait(false);
        var sb = new StringBuilder();
        long reclaimed = 0;
        if (report?["VolumesDeleted"] is JsonArray { Count: > 0 } deleted)
        {
            sb.Append("Deleted Volumes:\n");
            foreach (var item in deleted)
            {
                sb.Append(ImageRows.Str(item)).Append('\n');
            }
            sb.Append('\n');
            reclaimed = ImageRows.Long(report["SpaceReclaimed"]);
        }
        sb.Append("Total reclaimed space: ").Append(Humanize.SizeDefault(reclaimed)).Append('\n');
        await context.Out.WriteAsync(sb.ToString()).ConfigureAwait(false);
        return 0;
    }
}
