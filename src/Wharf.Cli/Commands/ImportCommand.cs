using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>import</c>, <c>image import</c>: POST /images/create?fromSrc=...</summary>
internal sealed class ImportCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
        "Import the contents from a tarball to create a filesystem image",
        [
            FlagSpec.List("change", 'c', "Apply Dockerfile instruction to the created image"),
            FlagSpec.String("message", 'm', "Set commit message for imported image"),
            FlagSpec.String("platform", null, "Set platform if server is multi-platform capable"),
        ],
        new ArgsRule(1, 2),
        ["image import", "import"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string source = invocation.Args[0];
        string? reference = invocation.Args.Count > 1 ? invocation.Args[1] : null;
        if (reference is not null)
        {
            ImageReference.Parse(reference);
        }
        bool isUrl = source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        var query = new QueryBuilder()
            .Add("fromSrc", isUrl ? source : "-")
            .Add("repo", reference)
            .Add("message", invocation.Flags.String("message") is { Length: > 0 } m ? m : null)
            .Add("platform", invocation.Flags.String("platform") is { Length: > 0 } p ? p : null);
        foreach (var change in invocation.Flags.List("change"))
        {
            query.Add("changes", change);
        }
        Stream? body = null;
        try
        {
            if (!isUrl)
            {
                body = source == "-" ? context.OpenStandardInput() : OpenFile(source);
            }
            using var content = body is null ? null : WharfClient.StreamContent(body, "application/x-tar");
            var (response, stream) = await context.Client.OpenStreamAsync(HttpMethod.Post, "/images/create", query, content, cancellationToken).ConfigureAwait(false);
            using (response)
            await using (stream.ConfigureAwait(false))
            {
                await ProgressPrinter.DisplayAsync(stream, context.Out, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (body is not null)
            {
                await body.DisposeAsync().ConfigureAwait(false);
            }
        }
        return 0;
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliErrorException($"open {path}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : e.Message)}");
        }
    }
}
