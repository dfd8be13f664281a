using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>save</c>, <c>image save</c>: GET /images/get?names=...</summary>
internal sealed class SaveCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] IMAGE [IMAGE...]",
        "Save one or more images to a tar archive (streamed to STDOUT by default)",
        [FlagSpec.String("output", 'o', "Write to a file, instead of STDOUT")],
        ArgsRule.AtLeast(1),
        ["image save", "save"]);

    public Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string? output = invocation.Flags.String("output");
        ArchiveOutput.RefuseTerminal(context, output);
        var query = new QueryBuilder();
        foreach (var name in invocation.Args)
        {
            query.Add("names", name);
        }

        return ArchiveOutput.WriteAsync(context, "/images/get", query, output, "save image", cancellationToken);
    }
}
