using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>ps</c>, <c>container ls</c>, <c>container list</c>, <c>container ps</c>.</summary>
internal sealed class PsCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "List containers",
        [
            FlagSpec.Bool("all", 'a', "Show all containers (default shows just running)"),
            FlagSpec.List("filter", 'f', "Filter output based on conditions provided", "filter"),
            FlagSpec.String("format", null, FormatUsage.Table),
            FlagSpec.Bool("latest", 'l', "Show the latest created container (includes all states)"),
            FlagSpec.String("last", 'n', "Show n last created containers (includes all states)", "int", "-1"),
            FlagSpec.Bool("no-trunc", null, "Don't truncate output"),
            FlagSpec.Bool("quiet", 'q', "Only display container IDs"),
            FlagSpec.Bool("size", 's', "Display total file sizes"),
        ],
        ArgsRule.None,
        ["container ls", "container list", "container ps", "ps"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        string lastText = f.String("last") ?? "-1";
        if (!int.TryParse(lastText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int last))
        {
            throw new UsageException($"invalid argument \"{lastText}\" for \"-n, --last\" flag: strconv.ParseInt: parsing \"{lastText}\": invalid syntax");
        }
        if (f.Bool("latest"))
        {
            last = 1;
        }
        bool quiet = f.Bool("quiet");
        string format = f.String("format") ?? "";
        bool size = f.Bool("size") || (format.Length > 0 && format.Contains(".Size", StringComparison.Ordinal));
        if (format.Length == 0 || format == "table")
        {
            format = quiet ? "{{.ID}}" : ContainerRows.DefaultTable + (f.Bool("size") ? "\t{{.Size}}" : "");
        }
        else if (quiet)
        {
            format = "{{.ID}}";
        }
        var query = new QueryBuilder()
            .AddIf(f.Bool("all") || last > 0, "all", "1")
            .AddIf(last > 0, "limit", last.ToString(CultureInfo.InvariantCulture))
            .AddIf(size && !quiet, "size", "1")
            .Add("filters", Filters.Encode(Filters.Parse(f.List("filter"))));
        var list = await context.Client.GetJsonAsync("/containers/json", query, cancellationToken).ConfigureAwait(false) as JsonArray ?? [];
        bool trunc = !f.Bool("no-trunc");
        var now = context.Time.GetUtcNow();
        var rows = list.OfType<JsonObject>().Select(c => ContainerRows.Row(c, trunc, now)).ToList();
        await context.Out.WriteAsync(OutputFormat.Render(format, rows, ContainerRows.Header)).ConfigureAwait(false);
        return 0;
    }
}
