using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>volume ls</c>, <c>volume list</c>.</summary>
internal sealed class VolumeLsCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "List volumes",
        [
            FlagSpec.List("filter", 'f', "Provide filter values (e.g. \"dangling=true\")", "filter"),
            FlagSpec.String("format", null, FormatUsage.Table),
            FlagSpec.Bool("quiet", 'q', "Only display volume names"),
        ],
        ArgsRule.None,
        ["volume ls", "volume list"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        var query = new QueryBuilder().Add("filters", Filters.Encode(Filters.Parse(f.List("filter"))));
        var list = await context.Client.GetJsonAsync("/volumes", query, cancellationToken).ConfigureAwait(false);
        bool quiet = f.Bool("quiet");
        string format = f.String("format") ?? "";
        if (format.Length == 0 || format == "table")
        {
            format = quiet ? "{{.Name}}" : VolumeRows.DefaultTable;
        }
        var volumes = (list?["Volumes"] as JsonArray ?? []).OfType<JsonObject>()
            .OrderBy(v => ImageRows.Str(v["Name"]), Comparer<string>.Create(VolumeRows.NaturalCompare))
            .Select(VolumeRows.Row)
            .ToList();
        await context.Out.WriteAsync(OutputFormat.Render(format, volumes, VolumeRows.Header)).ConfigureAwait(false);
        return 0;
    }
}
