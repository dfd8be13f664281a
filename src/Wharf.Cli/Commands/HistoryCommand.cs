using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;

namespace Wharf.Cli.Commands;

/// <summary><c>history</c>, <c>image history</c>.</summary>
internal sealed class HistoryCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] IMAGE",
        "Show the history of an image",
        [
            FlagSpec.String("format", null, FormatUsage.Table),
            FlagSpec.Bool("human", 'H', "Print sizes and dates in human readable format", defaultValue: true),
            FlagSpec.Bool("no-trunc", null, "Don't truncate output"),
            FlagSpec.Bool("quiet", 'q', "Only show image IDs"),
        ],
        ArgsRule.Exactly(1),
        ["image history", "history"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var flags = invocation.Flags;
        var history = await context.Client.GetJsonAsync($"/images/{Wharf.Client.ApiPath.Escape(invocation.Args[0])}/history", null, cancellationToken).ConfigureAwait(false) as JsonArray ?? [];
        bool human = flags.Bool("human");
        bool trunc = !flags.Bool("no-trunc");
        string format = flags.String("format") ?? "";
        if (format.Length == 0 || format == "table")
        {
            format = flags.Bool("quiet") ? "{{.ID}}" : "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
        }
        var now = context.Time.GetUtcNow();
        var rows = history.OfType<JsonObject>().Select(h =>
        {
            long created = ImageRows.Long(h["Created"]);
            long size = ImageRows.Long(h["Size"]);
            string id = ImageRows.Str(h["Id"]);
            string createdAt = Humanize.Rfc3339(DateTimeOffset.FromUnixTimeSeconds(created));
            string createdBy = ImageRows.Str(h["CreatedBy"]).Replace("\t", " ", StringComparison.Ordinal);
            return new TemplateStruct("*formatter.historyContext", new JsonObject
            {
                ["Comment"] = ImageRows.Str(h["Comment"]),
                ["CreatedAt"] = createdAt,
                ["CreatedBy"] = trunc ? Humanize.Ellipsis(createdBy, 45) : createdBy,
                ["CreatedSince"] = human ? Humanize.Since(created, now) : createdAt,
                ["ID"] = trunc ? Humanize.ShortId(id) : id,
                ["Size"] = human ? Humanize.Size(size) : size.ToString(CultureInfo.InvariantCulture),
            });
        }).ToList();
        var header = new JsonObject
        {
            ["ID"] = "IMAGE",
            ["CreatedSince"] = human ? "CREATED" : "CREATED AT",
            ["CreatedAt"] = "CREATED AT",
            ["CreatedBy"] = "CREATED BY",
            ["Size"] = "SIZE",
            ["Comment"] = "COMMENT",
        };
        await context.Out.WriteAsync(OutputFormat.Render(format, rows, header)).ConfigureAwait(false);
        return 0;
    }
}
