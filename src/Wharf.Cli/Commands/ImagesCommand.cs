using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>images</c>, <c>image ls</c>, <c>image list</c>.</summary>
internal sealed class ImagesCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] [REPOSITORY[:TAG]]",
        "List images",
        [
            FlagSpec.Bool("all", 'a', "Show all images (default hides intermediate images)"),
            FlagSpec.Bool("digests", null, "Show digests"),
            FlagSpec.List("filter", 'f', "Filter output based on conditions provided", "filter"),
            FlagSpec.String("format", null, FormatUsage.Table),
            FlagSpec.Bool("no-trunc", null, "Don't truncate output"),
            FlagSpec.Bool("quiet", 'q', "Only show image IDs"),
        ],
        ArgsRule.AtMost(1),
        ["image ls", "image list", "images"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var flags = invocation.Flags;
        var filters = Filters.Parse(flags.List("filter"));
        if (invocation.Args.Count == 1)
        {
            filters.Add(new("reference", invocation.Args[0]));
        }
        var query = new QueryBuilder()
            .AddIf(flags.Bool("all"), "all", "1")
            .Add("filters", Filters.Encode(filters));
        var images = await context.Client.GetJsonAsync("/images/json", query, cancellationToken).ConfigureAwait(false) as JsonArray ?? [];

        bool quiet = flags.Bool("quiet");
        bool digests = flags.Bool("digests");
        string format = flags.String("format") ?? "";
        if (format.Length == 0 || format == "table")
        {
            format = quiet ? "{{.ID}}"
                : digests ? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
                : "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
        }
        else if (OutputFormat.IsTable(format) && digests && !format.Contains("{{.Digest}}", StringComparison.Ordinal))
        {
            format += "\t{{.Digest}}";
        }
        var rows = ImageRows.Build(images, !flags.Bool("no-trunc"), digests, context.Time.GetUtcNow()).ToList();
        await context.Out.WriteAsync(OutputFormat.Render(format, rows, ImageRows.Header)).ConfigureAwait(false);
        return 0;
    }
}
