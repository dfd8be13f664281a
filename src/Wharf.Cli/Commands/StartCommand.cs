using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>start</c> (with <c>-a</c>/<c>-i</c> for one container) and <c>attach</c>.</summary>
internal sealed class StartCommand(bool attachOnly) : ICommand
{
    public CommandSpec Spec { get; } = attachOnly
        ? new CommandSpec(
            "[OPTIONS] CONTAINER",
            "Attach local standard input, output, and error streams to a running container",
            [
                FlagSpec.String("detach-keys", null, "Override the key sequence for detaching a container"),
                FlagSpec.Bool("no-stdin", null, "Do not attach STDIN"),
                FlagSpec.Bool("sig-proxy", null, "Proxy all received signals to the process", true),
            ],
            ArgsRule.Exactly(1),
            ["container attach", "attach"])
        : new CommandSpec(
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Start one or more stopped containers",
            [
                FlagSpec.Bool("attach", 'a', "Attach STDOUT/STDERR and forward signals"),
                FlagSpec.String("detach-keys", null, "Override the key sequence for detaching a container"),
                FlagSpec.Bool("interactive", 'i', "Attach container's STDIN"),
            ],
            ArgsRule.AtLeast(1),
            ["container start", "start"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        bool attach = attachOnly || f.Bool("attach") || f.Bool("interactive");
        if (!attach)
        {
            var errors = new List<string>();
            var failed = new List<string>();
            foreach (var name in invocation.Args)
            {
                try
                {
                    await context.Client.PostJsonAsync($"/containers/{ApiPath.Escape(name)}/start", null, null, cancellationToken).ConfigureAwait(false);
                    await context.Out.WriteLineAsync(name).ConfigureAwait(false);
                }
                catch (DaemonErrorException e)
                {
                    errors.Add("Error response from daemon: " + e.Message);
                    failed.Add(name);
                }
            }
            if (errors.Count > 0)
            {
                errors.Add("Error: failed to start containers: " + string.Join(", ", failed));
                throw new CliErrorException(string.Join("\n", errors));
            }
            return 0;
        }
        if (invocation.Args.Count > 1)
        {
            throw new CliErrorException("you cannot start and attach multiple containers at once");
        }
        string id = invocation.Args[0];
        var detachKeys = f.String("detach-keys");
        var keys = AttachStreamer.ParseKeys(detachKeys);
        var info = await context.Client.GetJsonAsync($"/containers/{ApiPath.Escape(id)}/json", null, cancellationToken).ConfigureAwait(false);
        id = ImageRows.Str(info?["Id"]);
        bool tty = info?["Config"]?["Tty"]?.GetValue<bool>() ?? false;
        bool openStdin = info?["Config"]?["OpenStdin"]?.GetValue<bool>() ?? false;
        bool stdin = attachOnly ? openStdin && !f.Bool("no-stdin") : f.Bool("interactive") && openStdin;
        if (attachOnly && info?["State"]?["Running"]?.GetValue<bool>() != true)
        {
            throw new CliErrorException("You cannot attach to a stopped container, start it first");
        }
        if (attachOnly && tty && !f.Bool("no-stdin") && !context.IsStdinTerminal)
        {
            throw new CliErrorException("the input device is not a TTY");
        }
        var query = RunCommand.AttachQuery(stdin, detachKeys);
        // docker start -a always proxies; docker attach unless --sig-proxy=false.
        using var proxy = SignalProxy.Start(context, id, !attachOnly || f.Bool("sig-proxy"), tty);
        var conn = await context.Client.HijackAsync($"/containers/{id}/attach", query, cancellationToken).ConfigureAwait(false);
        await using (conn.ConfigureAwait(false))
        {
            using var wait = await context.Client.SendAsync(HttpMethod.Post, $"/containers/{id}/wait", new QueryBuilder().Add("condition", attachOnly ? "not-running" : "next-exit"), null, cancellationToken).ConfigureAwait(false);
            var body = wait.Content.ReadAsStringAsync(cancellationToken);
            if (!attachOnly)
            {
                await context.Client.PostJsonAsync($"/containers/{id}/start", null, null, cancellationToken).ConfigureAwait(false);
            }
            // docker attach first sets a size one larger so a re-attached shell redraws its prompt.
            using var resizer = tty && context.IsStdoutTerminal ? TtyResizer.Start(context, id, nudge: attachOnly) : null;
            if (await AttachStreamer.StreamAsync(context, conn, stdin, tty, keys, cancellationToken).ConfigureAwait(false))
            {
                // docker start -a returns quietly; docker attach reports the detach as its error.
                return attachOnly ? throw new CliErrorException("read escape sequence") : 0;
            }
            return await RunCommand.ExitCodeAsync(context, body).ConfigureAwait(false);
        }
    }
}
