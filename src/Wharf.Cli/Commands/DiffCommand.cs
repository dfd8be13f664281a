using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>diff</c>, <c>container diff</c>: GET /containers/{id}/changes, one "C|A|D path" line each.</summary>
internal sealed class DiffCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "CONTAINER",
        "Inspect changes to files or directories on a container's filesystem",
        [],
        ArgsRule.Exactly(1),
        ["container diff", "diff"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var changes = await context.Client.GetJsonAsync($"/containers/{ApiPath.Escape(invocation.Args[0])}/changes", null, cancellationToken).ConfigureAwait(false);
        if (changes is JsonArray list)
        {
            foreach (var change in list)
            {
                var kind = change?["Kind"]?.GetValue<int>() switch
                {
                    0 => "C",
                    1 => "A",
                    2 => "D",
                    _ => "?",
                };
                await context.Out.WriteLineAsync($"{kind} {change?["Path"]?.GetValue<string>()}").ConfigureAwait(false);
            }
        }

        return 0;
    }
}
