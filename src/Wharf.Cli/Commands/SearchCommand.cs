using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>search</c>: GET /images/search, shown as docker's table.</summary>
internal sealed class SearchCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] TERM",
        "Search Docker Hub for images",
        [
            FlagSpec.String("limit", null, "Max number of search results", "int"),
            FlagSpec.Bool("no-trunc", null, "Don't truncate output"),
        ],
        ArgsRule.Exactly(1),
        ["search"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var term = invocation.Args[0];
        var query = new QueryBuilder().Add("term", term);
        if (invocation.Flags.String("limit") is { Length: > 0 } limit)
        {
            if (!int.TryParse(limit, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            {
                throw new CliErrorException($"invalid argument \"{limit}\" for \"--limit\" flag: strconv.ParseInt: parsing \"{limit}\": invalid syntax");
            }

            query.Add("limit", limit);
        }

        var answer = await context.Client.GetJsonAsync("/images/search", query, cancellationToken).ConfigureAwait(false) as JsonArray ?? [];
        var noTrunc = invocation.Flags.Bool("no-trunc");
        var sb = new StringBuilder("NAME\tDESCRIPTION\tSTARS\tOFFICIAL\n");
        foreach (var row in answer.OfType<JsonObject>())
        {
            var description = (row["description"]?.GetValue<string>() ?? "").ReplaceLineEndings(" ");
            if (!noTrunc && description.Length > 45)
            {
                description = description[..44] + "…";
            }

            var official = row["is_official"]?.GetValue<bool>() == true ? "[OK]" : "";
            sb.Append(CultureInfo.InvariantCulture, $"{row["name"]?.GetValue<string>()}\t{description}\t{row["star_count"]?.GetValue<int>() ?? 0}\t{official}\n");
        }

        await context.Out.WriteAsync(new TabWriter().Format(sb.ToString())).ConfigureAwait(false);
        return 0;
    }
}
