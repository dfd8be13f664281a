using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>top</c>, <c>container top</c>: everything after the container is ps's arguments.</summary>
internal sealed class TopCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "CONTAINER [ps OPTIONS]",
        "Display the running processes of a container",
        [],
        ArgsRule.AtLeast(1),
        ["container top", "top"],
        StopAtFirstArg: true);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var name = invocation.Args[0];
        var psArgs = string.Join(' ', invocation.Args.Skip(1));
        var query = new QueryBuilder().Add("ps_args", psArgs.Length > 0 ? psArgs : null);
        var top = await context.Client.GetJsonAsync($"/containers/{ApiPath.Escape(name)}/top", query, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteAsync(Table(top as JsonObject)).ConfigureAwait(false);
        return 0;
    }

    /// <summary>docker's tabwriter for top: minimum width 20, padding 3.</summary>
    internal static string Table(JsonObject? top)
    {
        var sb = new StringBuilder();
        sb.AppendJoin('\t', ImageRows.Strings(top?["Titles"])).Append('\n');
        foreach (var row in top?["Processes"] as JsonArray ?? [])
        {
            sb.AppendJoin('\t', ImageRows.Strings(row)).Append('\n');
        }

        return new TabWriter(minWidth: 20, padding: 3).Format(sb.ToString());
    }
}
