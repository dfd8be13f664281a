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

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string? output = invocation.Flags.String("output");
        if (string.IsNullOrEmpty(output) && context.IsStdoutTerminal)
        {
            throw new CliErrorException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }
        var query = new QueryBuilder();
        foreach (var name in invocation.Args)
        {
            query.Add("names", name);
        }
        var (response, body) = await context.Client.OpenStreamAsync(HttpMethod.Get, "/images/get", query, null, cancellationToken).ConfigureAwait(false);
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
            // Like docker, write next to the target and rename, so a failed save leaves no partial file.
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
                throw new CliErrorException("failed to save image: " + e.Message);
            }
        }
        return 0;
    }
}
