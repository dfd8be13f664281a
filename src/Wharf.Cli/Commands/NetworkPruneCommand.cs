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
            await context.Out.WriteAsync("WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ").ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            var answer = (context.ReadLine() ?? "").Trim();
            if (!answer.Equals("y", StringComparison.OrdinalIgnoreCase) && !answer.Equals("yes", StringComparison.OrdinalIgnoreCase))
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
