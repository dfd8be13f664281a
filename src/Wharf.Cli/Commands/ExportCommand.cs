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

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string? output = invocation.Flags.String("output");
        if (string.IsNullOrEmpty(output) && context.IsStdoutTerminal)
        {
            throw new CliErrorException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }

        var (response, body) = await context.Client.OpenStreamAsync(HttpMethod.Get, $"/containers/{ApiPath.Escape(invocation.Args[0])}/export", null, null, cancellationToken).ConfigureAwait(false);
        using (response)
        await using (body.ConfigureAwait(false))
        {
            if (string.IsNullOrEmpty(output))
            {
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                var stdout = context.OpenStandardOutput();
                await body.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }

            // Written next to the target and renamed, so a failed export leaves no partial file.
            string full = Path.GetFullPath(output);
            string temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", "." + Path.GetFileName(full) + ".tmp-" + Environment.ProcessId);
            try
            {
                var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }

                File.Move(temp, full, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                File.Delete(temp);
                throw new CliErrorException("failed to export container: " + e.Message);
            }
        }

        return 0;
    }
}
