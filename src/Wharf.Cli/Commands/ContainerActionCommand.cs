using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>The commands that do one API call per named container and print the name back
/// (stop, restart, kill, rm, pause, unpause, wait); errors are collected and the exit status is 1.</summary>
internal sealed class ContainerActionCommand(CommandSpec spec, Func<CommandContext, ParsedFlags, string, CancellationToken, Task<string>> action) : ICommand
{
    public CommandSpec Spec { get; } = spec;

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var name in invocation.Args)
        {
            try
            {
                string line = await action(context, invocation.Flags, name, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(line).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
            }
            catch (CliErrorException e)
            {
                errors.Add(e.Message);
            }
        }
        if (errors.Count > 0)
        {
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            throw new CliErrorException(string.Join("\n", errors));
        }
        return 0;
    }

    private static string Path(string name, string action) => $"/containers/{ApiPath.Escape(name)}/{action}";

    public static ContainerActionCommand Stop(bool restart) => new(
        new CommandSpec(
            "[OPTIONS] CONTAINER [CONTAINER...]",
            restart ? "Restart one or more containers" : "Stop one or more running containers",
            [
                FlagSpec.String("signal", 's', "Signal to send to the container"),
                FlagSpec.String("timeout", 't', "Seconds to wait before killing the container", "int"),
            ],
            ArgsRule.AtLeast(1),
            restart ? ["container restart", "restart"] : ["container stop", "stop"]),
        async (ctx, f, name, ct) =>
        {
            var q = new QueryBuilder().Add("signal", f.String("signal") is { Length: > 0 } s ? s : null).Add("t", f.Changed("timeout") ? f.String("timeout") : null);
            await ctx.Client.PostJsonAsync(Path(name, restart ? "restart" : "stop"), q, null, ct).ConfigureAwait(false);
            return name;
        });

    public static ContainerActionCommand Kill() => new(
        new CommandSpec(
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Kill one or more running containers",
            [FlagSpec.String("signal", 's', "Signal to send to the container")],
            ArgsRule.AtLeast(1),
            ["container kill", "kill"]),
        async (ctx, f, name, ct) =>
        {
            await ctx.Client.PostJsonAsync(Path(name, "kill"), new QueryBuilder().Add("signal", f.String("signal") is { Length: > 0 } s ? s : null), null, ct).ConfigureAwait(false);
            return name;
        });

    public static ContainerActionCommand Remove() => new(
        new CommandSpec(
            "[OPTIONS] CONTAINER [CONTAINER...]",
            "Remove one or more containers",
            [
                FlagSpec.Bool("force", 'f', "Force the removal of a running container (uses SIGKILL)"),
                FlagSpec.Bool("link", 'l', "Remove the specified link"),
                FlagSpec.Bool("volumes", 'v', "Remove anonymous volumes associated with the container"),
            ],
            ArgsRule.AtLeast(1),
            ["container rm", "container remove", "rm"]),
        async (ctx, f, name, ct) =>
        {
            var q = new QueryBuilder().AddIf(f.Bool("volumes"), "v", "1").AddIf(f.Bool("link"), "link", "1").AddIf(f.Bool("force"), "force", "1");
            await ctx.Client.DeleteJsonAsync($"/containers/{ApiPath.Escape(name)}", q, ct).ConfigureAwait(false);
            return name;
        });

    public static ContainerActionCommand Pause(bool pause) => new(
        new CommandSpec(
            "CONTAINER [CONTAINER...]",
            pause ? "Pause all processes within one or more containers" : "Unpause all processes within one or more containers",
            [],
            ArgsRule.AtLeast(1),
            pause ? ["container pause", "pause"] : ["container unpause", "unpause"]),
        async (ctx, f, name, ct) =>
        {
            await ctx.Client.PostJsonAsync(Path(name, pause ? "pause" : "unpause"), null, null, ct).ConfigureAwait(false);
            return name;
        });

    public static ContainerActionCommand Wait() => new(
        new CommandSpec(
            "CONTAINER [CONTAINER...]",
            "Block until one or more containers stop, then print their exit codes",
            [],
            ArgsRule.AtLeast(1),
            ["container wait", "wait"]),
        async (ctx, f, name, ct) =>
        {
            var result = await ctx.Client.PostJsonAsync(Path(name, "wait"), null, null, ct).ConfigureAwait(false);
            if (result?["Error"]?["Message"] is JsonValue m && m.TryGetValue<string>(out var msg) && msg.Length > 0)
            {
                throw new CliErrorException(msg);
            }
            return ImageRows.Long(result?["StatusCode"]).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
}
