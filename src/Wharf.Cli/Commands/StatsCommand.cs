using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>
/// <c>stats</c>, <c>container stats</c>: a live table of resource usage redrawn in place, or one
/// table with <c>--no-stream</c>. Without names it follows the running containers (all with
/// <c>--all</c>) through the event stream, as docker does.
/// </summary>
internal sealed class StatsCommand : ICommand
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(500);

    public CommandSpec Spec { get; } = new(
        "[OPTIONS] [CONTAINER...]",
        "Display a live stream of container(s) resource usage statistics",
        [
            FlagSpec.Bool("all", 'a', "Show all containers (default shows just running)"),
            FlagSpec.String("format", null, FormatUsage.Table),
            FlagSpec.Bool("no-stream", null, "Disable streaming stats and only pull the first result"),
            FlagSpec.Bool("no-trunc", null, "Do not truncate output"),
        ],
        ArgsRule.AtLeast(0),
        ["container stats", "stats"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        var stream = !f.Bool("no-stream");
        var all = f.Bool("all");
        var trunc = !f.Bool("no-trunc");
        var format = f.String("format") is { Length: > 0 } fmt && fmt != "table" ? fmt : StatsRows.DefaultTable;
        var template = format;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var collectors = new List<StatsCollector>();
        var created = new List<StatsCollector>();
        var tasks = new List<Task>();
        void Add(string container)
        {
            lock (collectors)
            {
                if (collectors.Any(c => c.Container == container))
                {
                    return;
                }

                var c = new StatsCollector(container);
                created.Add(c);
                collectors.Add(c);
                tasks.Add(c.RunAsync(context.Client, stream, stop.Token));
            }
        }

        void Remove(string container)
        {
            lock (collectors)
            {
                foreach (var c in collectors.Where(c => c.Container == container))
                {
                    c.Stop.Cancel();
                }

                collectors.RemoveAll(c => c.Container == container);
            }
        }

        var explicitNames = invocation.Args.Count > 0;
        Task? events = null;
        try
        {
            if (explicitNames)
            {
                foreach (var name in invocation.Args)
                {
                    Add(name);
                }
            }
            else
            {
                if (stream)
                {
                    // Subscribe before listing, so a container started in between is not missed.
                    events = await FollowEventsAsync(context.Client, all, Add, Remove, stop.Token).ConfigureAwait(false);
                }

                var list = await context.Client.GetJsonAsync("/containers/json", new QueryBuilder().AddIf(all, "all", "1"), cancellationToken).ConfigureAwait(false) as JsonArray ?? [];
                foreach (var c in list.OfType<JsonObject>())
                {
                    Add(ImageRows.Str(c["Id"]));
                }
            }

            StatsCollector[] snapshot;
            lock (collectors)
            {
                snapshot = [.. collectors];
            }

            await Task.WhenAll(snapshot.Select(c => c.First.Task)).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (explicitNames && snapshot.Where(c => c.Error is not null).Select(c => c.Error!).ToList() is { Count: > 0 } errors)
            {
                throw new CliErrorException(string.Join("\n", errors));
            }

            if (!stream)
            {
                if (snapshot.Length > 0)
                {
                    await context.Out.WriteAsync(Render(template, snapshot.Select(c => c.Snapshot()), trunc)).ConfigureAwait(false);
                }

                return 0;
            }

            while (true)
            {
                await Task.Delay(Redraw, context.Time, cancellationToken).ConfigureAwait(false);
                lock (collectors)
                {
                    snapshot = [.. collectors];
                }

                var table = Render(template, snapshot.Select(c => c.Snapshot(TimeSpan.FromSeconds(2))), trunc);
                await context.Out.WriteAsync(Frame(table)).ConfigureAwait(false);
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (snapshot.Length == 0 && explicitNames)
                {
                    return 0;
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (events is not null)
            {
                // No collector is added after the event stream has ended.
                await events.ConfigureAwait(false);
            }

            Task[] pending;
            lock (collectors)
            {
                pending = [.. tasks];
            }

            await Task.WhenAll(pending).ConfigureAwait(false);
            foreach (var c in created)
            {
                c.Dispose();
            }
        }
    }

    private static string Render(string format, IEnumerable<StatsEntry> entries, bool trunc) =>
        OutputFormat.Render(format, entries.Select(e => StatsRows.Row(e, trunc)), StatsRows.Header);

    /// <summary>
    /// One redraw: cursor home, each line followed by erase-to-end-of-line, then erase below (fewer
    /// containers than last time). Written in one piece so the terminal does not flicker.
    /// </summary>
    internal static string Frame(string table)
    {
        var sb = new StringBuilder("\u001b[H");
        foreach (var line in table.Split('\n'))
        {
            sb.Append(line).Append("\u001b[K\n");
        }

        return sb.Append("\u001b[J").ToString();
    }

    /// <summary>
    /// Container events drive the list: start adds (create too with --all), die removes (unless
    /// --all). Returns once the subscription is answered; the returned task follows the stream.
    /// </summary>
    private static async Task<Task> FollowEventsAsync(WharfClient client, bool all, Action<string> add, Action<string> remove, CancellationToken cancellationToken)
    {
        var query = new QueryBuilder().Add("filters", WharfClient.EncodeFilters([new("type", "container")]));
        var (response, body) = await client.OpenStreamAsync(HttpMethod.Get, "/events", query, null, cancellationToken).ConfigureAwait(false);
        return Task.Run(
            async () =>
            {
                using (response)
                await using (body.ConfigureAwait(false))
                {
                    try
                    {
                        await foreach (var e in JsonMessageReader.ReadObjectsAsync(body, cancellationToken).ConfigureAwait(false))
                        {
                            var id = ImageRows.Str(e["Actor"]?["ID"]);
                            if (id.Length == 0)
                            {
                                continue;
                            }

                            switch (ImageRows.Str(e["Action"]))
                            {
                                case "start":
                                case "create" when all:
                                    add(id);
                                    break;
                                case "die" when !all:
                                    remove(id);
                                    break;
                            }
                        }
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
                    {
                        // The command ends or the daemon went away; the table keeps what it has.
                    }
                }
            },
            CancellationToken.None);
    }
}
