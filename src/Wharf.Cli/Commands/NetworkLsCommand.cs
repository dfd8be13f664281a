using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>network ls</c>, <c>network list</c>: docker's table, sorted by name.</summary>
internal sealed class NetworkLsCommand : ICommand
{
    private const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

    private static readonly JsonObject Header = new()
    {
        ["ID"] = "NETWORK ID",
        ["Name"] = "NAME",
        ["Driver"] = "DRIVER",
        ["Scope"] = "SCOPE",
        ["IPv6"] = "IPV6",
        ["Internal"] = "INTERNAL",
        ["Labels"] = "LABELS",
        ["CreatedAt"] = "CREATED AT",
    };

    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "List networks",
        [
            FlagSpec.List("filter", 'f', "Provide filter values (e.g. \"driver=bridge\")", "filter"),
            FlagSpec.String("format", null, FormatUsage.Table),
            FlagSpec.Bool("no-trunc", null, "Do not truncate the output"),
            FlagSpec.Bool("quiet", 'q', "Only display network IDs"),
        ],
        ArgsRule.None,
        ["network ls", "network list"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        var query = new QueryBuilder().Add("filters", Filters.Encode(Filters.Parse(f.List("filter"))));
        var list = await context.Client.GetJsonAsync("/networks", query, cancellationToken).ConfigureAwait(false);
        var format = f.String("format") ?? "";
        if (format.Length == 0 || format == "table")
        {
            format = f.Bool("quiet") ? "{{.ID}}" : DefaultTable;
        }

        var noTrunc = f.Bool("no-trunc");
        var rows = (list as JsonArray ?? []).OfType<JsonObject>()
            .OrderBy(n => ImageRows.Str(n["Name"]), StringComparer.Ordinal)
            .Select(n =>
            {
                var id = ImageRows.Str(n["Id"]);
                var labels = (n["Labels"] as JsonObject)?.Select(kv => kv.Key + "=" + ImageRows.Str(kv.Value)).Order(StringComparer.Ordinal).ToList() ?? [];
                return new TemplateStruct("*formatter.networkContext", new JsonObject
                {
                    ["ID"] = noTrunc || id.Length <= 12 ? id : id[..12],
                    ["Name"] = ImageRows.Str(n["Name"]),
                    ["Driver"] = ImageRows.Str(n["Driver"]),
                    ["Scope"] = ImageRows.Str(n["Scope"]),
                    ["IPv6"] = n["EnableIPv6"]?.GetValue<bool>() == true ? "true" : "false",
                    ["Internal"] = n["Internal"]?.GetValue<bool>() == true ? "true" : "false",
                    ["Labels"] = string.Join(",", labels),
                    ["CreatedAt"] = ImageRows.Str(n["Created"]),
                });
            })
            .ToList();
        await context.Out.WriteAsync(OutputFormat.Render(format, rows, Header)).ConfigureAwait(false);
        return 0;
    }
}
