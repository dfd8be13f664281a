using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>rmi</c>, <c>image rm</c>, <c>image remove</c>.</summary>
internal sealed class RmiCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] IMAGE [IMAGE...]",
        "Remove one or more images",
        [
            FlagSpec.Bool("force", 'f', "Force removal of the image"),
            FlagSpec.Bool("no-prune", null, "Do not delete untagged parents"),
        ],
        ArgsRule.AtLeast(1),
        ["image rm", "image remove", "rmi"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var query = new QueryBuilder()
            .AddIf(invocation.Flags.Bool("force"), "force", "1")
            .AddIf(invocation.Flags.Bool("no-prune"), "noprune", "1");
        var errors = new List<string>();
        foreach (var name in invocation.Args)
        {
            try
            {
                var result = await context.Client.DeleteJsonAsync($"/images/{Wharf.Client.ApiPath.Escape(name)}", query, cancellationToken).ConfigureAwait(false);
                foreach (var item in result as JsonArray ?? [])
                {
                    string deleted = ImageRows.Str(item?["Deleted"]);
                    await context.Out.WriteLineAsync(deleted.Length > 0 ? "Deleted: " + deleted : "Untagged: " + ImageRows.Str(item?["Untagged"])).ConfigureAwait(false);
                }
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
