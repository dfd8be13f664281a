using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>rename</c>, <c>container rename</c>.</summary>
internal sealed class RenameCommand : ICommand
{
    public CommandSpec Spec { get; } = new("CONTAINER NEW_NAME", "Rename a container", [], ArgsRule.Exactly(2), ["container rename", "rename"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string oldName = invocation.Args[0].Trim(), newName = invocation.Args[1].Trim();
        if (oldName.Length == 0 || newName.Length == 0)
        {
            throw new CliErrorException("Error: Neither old nor new names may be empty");
        }
        try
        {
            await context.Client.PostJsonAsync($"/containers/{ApiPath.Escape(oldName)}/rename", new QueryBuilder().Add("name", newName), null, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException e)
        {
            throw new CliErrorException($"Error response from daemon: {e.Message}\nError: failed to rename container named {oldName}");
        }
        return 0;
    }
}
