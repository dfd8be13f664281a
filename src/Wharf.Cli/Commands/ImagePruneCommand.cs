using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>image prune</c>.</summary>
internal sealed class ImagePruneCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "Remove unused images",
        [
            FlagSpec.Bool("all", 'a', "Remove all unused images, not just dangling ones"),
            FlagSpec.List("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter"),
            FlagSpec.Bool("force", 'f', "Do not prompt for confirmation"),
        ],
        ArgsRule.None);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        bool all = invocation.Flags.Bool("all");
        var filters = Filters.Parse(invocation.Flags.List("filter"));
        filters.Add(new("dangling", all ? "false" : "true"));
        if (!invocation.Flags.Bool("force"))
        {
            string warning = all
                ? "WARNING! This will remove all images without at least one container associated to them."
                : "WARNING! This will remove all dangling images.";
            if (!await PruneConfirmation.ConfirmAsync(context, warning, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }
        }
        var report = await context.Client.PostJsonAsync("/images/prune", new QueryBuilder().Add("filters", Filters.Encode(filters)), null, cancellationToken).ConfigureAwait(false);
        var sb = new StringBuilder();
        if (report?["ImagesDeleted"] is JsonArray { Count: > 0 } deleted)
        {
            sb.Append("Deleted Images:\n");
            foreach (var item in deleted)
            {
                string untagged = ImageRows.Str(item?["Untagged"]);
                string del = ImageRows.Str(item?["Deleted"]);
                if (untagged.Length > 0)
                {
                    sb.Append("untagged: ").Append(untagged).Append('\n');
                }
                if (del.Length > 0)
                {
                    sb.Append("deleted: ").Append(del).Append('\n');
                }
            }
            sb.Append('\n');
        }
        sb.Append("Total reclaimed space: ").Append(Humanize.SizeDefault(ImageRows.Long(report?["SpaceReclaimed"]))).Append('\n');
        await context.Out.WriteAsync(sb.ToString()).ConfigureAwait(false);
        return 0;
    }
}
