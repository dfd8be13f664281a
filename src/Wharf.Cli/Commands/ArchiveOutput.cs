using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>
/// Where <c>save</c> and <c>export</c> put an archive from the daemon: the <c>-o</c> file, or
/// stdout when that is not a terminal (docker refuses to write binary to a terminal).
/// </summary>
internal static class ArchiveOutput
{
    public static void RefuseTerminal(CommandContext context, string? output)
    {
        if (string.IsNullOrEmpty(output) && context.IsStdoutTerminal)
        {
            throw new CliErrorException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }
    }

    /// <summary>
    /// Streams the GET's body. A file is written next to its target and renamed, like docker,
    /// so a failed transfer leaves no partial file; <paramref name="what"/> names the failure.
    /// </summary>
    public static async Task<int> WriteAsync(CommandContext context, string path, QueryBuilder? query, string? output, string what, CancellationToken cancellationToken)
    {
        var (response, body) = await context.Client.OpenStreamAsync(HttpMethod.Get, path, query, null, cancellationToken).ConfigureAwait(false);
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
                throw new CliErrorException($"failed to {what}: {e.Message}");
            }
        }

        return 0;
    }
}
