using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>logs</c>, <c>container logs</c>.</summary>
internal sealed class LogsCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] CONTAINER",
        "Fetch the logs of a container",
        [
            FlagSpec.Bool("details", null, "Show extra details provided to logs"),
            FlagSpec.Bool("follow", 'f', "Follow log output"),
            FlagSpec.String("since", null, "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
            FlagSpec.String("tail", 'n', "Number of lines to show from the end of the logs", "string", "all"),
            FlagSpec.Bool("timestamps", 't', "Show timestamps"),
            FlagSpec.String("until", null, "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
        ],
        ArgsRule.Exactly(1),
        ["container logs", "logs"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        string name = invocation.Args[0];
        var info = await context.Client.GetJsonAsync($"/containers/{ApiPath.Escape(name)}/json", null, cancellationToken).ConfigureAwait(false);
        bool tty = info?["Config"]?["Tty"]?.GetValue<bool>() ?? false;
        var now = context.Time.GetUtcNow();
        var query = new QueryBuilder()
            .Add("stdout", "1").Add("stderr", "1")
            .Add("since", f.String("since") is { Length: > 0 } since ? Timestamps.ToApi(since, now) : null)
            .Add("until", f.String("until") is { Length: > 0 } until ? Timestamps.ToApi(until, now) : null)
            .AddIf(f.Bool("timestamps"), "timestamps", "1")
            .AddIf(f.Bool("follow"), "follow", "1")
            .Add("tail", f.String("tail") ?? "all")
            .AddIf(f.Bool("details"), "details", "1");
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        var (response, body) = await context.Client.OpenStreamAsync(HttpMethod.Get, $"/containers/{ApiPath.Escape(name)}/logs", query, null, cancellationToken).ConfigureAwait(false);
        using (response)
        await using (body.ConfigureAwait(false))
        {
            var stdout = context.OpenStandardOutput();
            if (tty)
            {
                await StdStreams.CopyRawAsync(body, stdout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await StdStreams.DemuxAsync(body, stdout, LocalTerminal.OpenStandardError(), cancellationToken).ConfigureAwait(false);
            }
        }
        return 0;
    }
}
