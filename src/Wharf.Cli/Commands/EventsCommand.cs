using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>events</c>, <c>system events</c>: streams GET /events.</summary>
internal sealed class EventsCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "Get real time events from the server",
        [
            FlagSpec.List("filter", 'f', "Filter output based on conditions provided", "filter"),
            FlagSpec.String("format", null, FormatUsage.Inspect),
            FlagSpec.String("since", null, "Show all events created since timestamp"),
            FlagSpec.String("until", null, "Stream events until this timestamp"),
        ],
        ArgsRule.None,
        ["system events", "events"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var flags = invocation.Flags;
        string format = flags.String("format") ?? "";
        GoTemplate? template = format.Length == 0 ? null : OutputFormat.ParseTemplate(OutputFormat.IsJson(format) ? "{{json .}}" : format);
        var now = context.Time.GetUtcNow();
        var query = new QueryBuilder()
            .Add("since", flags.String("since") is { Length: > 0 } s ? Timestamps.ToApi(s, now) : null)
            .Add("until", flags.String("until") is { Length: > 0 } u ? Timestamps.ToApi(u, now) : null)
            .Add("filters", Filters.Encode(Filters.Parse(flags.List("filter"))));
        var (response, body) = await context.Client.OpenStreamAsync(HttpMethod.Get, "/events", query, null, cancellationToken).ConfigureAwait(false);
        using (response)
        await using (body.ConfigureAwait(false))
        {
            await foreach (var e in JsonMessageReader.ReadObjectsAsync(body, cancellationToken).ConfigureAwait(false))
            {
                string line = template is null ? Pretty(e) : OutputFormat.RenderOne(template, e);
                await context.Out.WriteAsync(line).ConfigureAwait(false);
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        return 0;
    }

    /// <summary>docker's prettyPrintEvent.</summary>
    internal static string Pretty(JsonObject e)
    {
        var sb = new StringBuilder();
        long timeNano = ImageRows.Long(e["timeNano"]);
        long time = ImageRows.Long(e["time"]);
        if (timeNano != 0)
        {
            sb.Append(Humanize.Rfc3339NanoFixed(timeNano)).Append(' ');
        }
        else if (time != 0)
        {
            sb.Append(Humanize.Rfc3339NanoFixed(time * 1_000_000_000)).Append(' ');
        }
        var actor = e["Actor"] as JsonObject;
        sb.Append(ImageRows.Str(e["Type"])).Append(' ').Append(ImageRows.Str(e["Action"])).Append(' ').Append(ImageRows.Str(actor?["ID"]));
        if (actor?["Attributes"] is JsonObject { Count: > 0 } attrs)
        {
            sb.Append(" (")
                .AppendJoin(", ", attrs.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + ImageRows.Str(kv.Value)))
                .Append(')');
        }
        return sb.Append('\n').ToString();
    }
}
