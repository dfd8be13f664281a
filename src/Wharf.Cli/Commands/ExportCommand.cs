using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>export</c>, <c>container export</c>: GET /containers/{id}/export to stdout or a file.</summary>
internal sealed class ExportCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] CONTAINER",
        "Export a container's filesystem as a tar archive",
        [FlagSpec.String("output", 'o', "Write to a file, instead of STDOUT")],
        ArgsRule.Exactly(1),
        ["container export", "export"]);

    public Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string? output = invocation.Flags.String("output");
        ArchiveOutput.RefuseTerminal(context, output);
        return ArchiveOutput.WriteAsync(context, $"/containers/{ApiPath.Escape(invocation.Args[0])}/export", null, output, "export container", cancellationToken);
    }
}
