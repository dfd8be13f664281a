using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>volume rm</c>, <c>volume remove</c>.</summary>
internal sealed class VolumeRmCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] VOLUME [VOLUME...]",
        "Remove one or more volumes",
        [FlagSpec.Bool("force", 'f', "Force the removal of one or more volumes")],
        ArgsRule.AtLeast(1),
        ["volume rm", "volume remove"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var query = new QueryBuilder().AddIf(invocation.Flags.Bool("force"), "force", "1");
        var errors = new List<string>();
        foreach (var name in invocation.Args)
        {
            try
            {
                await context.Client.DeleteJsonAsync($"/volumes/{ApiPath.Escape(name)}", query, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
            }
        }
        if (errors.Count > 0)
        {
            throw new CliErrorException(string.Join("\n", errors));
        }
        return 0;
    }
}
