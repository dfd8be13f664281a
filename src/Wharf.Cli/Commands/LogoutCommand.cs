using System.Text.Json.Nodes;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary><c>logout</c>: removes stored credentials, as the docker CLI does.</summary>
internal sealed class LogoutCommand : ICommand
{
    public CommandSpec Spec { get; } = new("[SERVER]", "Log out from a registry", [], ArgsRule.AtMost(1), ["logout"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var key = DockerConfigFile.KeyFor(invocation.Args.Count == 1 ? LoginCommand.StripScheme(invocation.Args[0]) : null);
        var config = DockerConfigFile.Load();
        var auths = config["auths"] as JsonObject;
        var found = false;
        foreach (var candidate in new[] { key, "https://" + key, "http://" + key })
        {
            if (auths is not null && auths.Remove(candidate))
            {
                found = true;
            }
        }

        if (!found)
        {
            await context.Out.WriteLineAsync($"Not logged in to {key}").ConfigureAwait(false);
            return 0;
        }

        await context.Out.WriteLineAsync($"Removing login credentials for {key}").ConfigureAwait(false);
        DockerConfigFile.Save(config);
        return 0;
    }
}
