using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>load</c>, <c>image load</c>: POST /images/load with a tar body.</summary>
internal sealed class LoadCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "Load an image from a tar archive or STDIN",
        [
            FlagSpec.String("input", 'i', "Read from tar archive file, instead of STDIN"),
            FlagSpec.Bool("quiet", 'q', "Suppress the load output"),
        ],
        ArgsRule.None,
        ["image load", "load"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string? input = invocation.Flags.String("input");
        if (string.IsNullOrEmpty(input) && context.IsStdinTerminal)
        {
            throw new CliErrorException("requested load from stdin, but stdin is empty");
        }
        // Docker never draws progress when stdout is not a terminal.
        bool quiet = invocation.Flags.Bool("quiet") || !context.IsStdoutTerminal;
        Stream body;
        try
        {
            body = string.IsNullOrEmpty(input) ? context.OpenStandardInput() : new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliErrorException($"open {input}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : e.Message)}");
        }
        await using (body.ConfigureAwait(false))
        {
            using var content = WharfClient.StreamContent(body, "application/x-tar");
            var query = new QueryBuilder().AddIf(quiet, "quiet", "1");
            var (response, stream) = await context.Client.OpenStreamAsync(HttpMethod.Post, "/images/load", query, content, cancellationToken).ConfigureAwait(false);
            using (response)
            await using (stream.ConfigureAwait(false))
            {
                if (response.Content.Headers.ContentType?.MediaType == "application/json")
                {
                    await ProgressPrinter.DisplayAsync(stream, context.Out, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    using var reader = new StreamReader(stream);
                    await context.Out.WriteAsync(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                }
            }
        }
        return 0;
    }
}
