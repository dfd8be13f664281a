using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>push</c>, <c>image push</c>: POST /images/{name}/push with the stored credentials.</summary>
internal sealed class PushCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] NAME[:TAG]",
        "Upload an image to a registry",
        [
            FlagSpec.Bool("all-tags", 'a', "Push all tags of an image to the repository"),
            FlagSpec.Bool("quiet", 'q', "Suppress verbose output"),
        ],
        ArgsRule.Exactly(1),
        ["image push", "push"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var r = ImageReference.Parse(invocation.Args[0]);
        if (r.Digest is not null)
        {
            throw new CliErrorException("invalid reference format: cannot push a digest reference");
        }

        var all = invocation.Flags.Bool("all-tags");
        if (all && r.Tag is not null)
        {
            throw new CliErrorException("tag can't be used with --all-tags/-a");
        }

        var query = new QueryBuilder();
        if (!all)
        {
            if (r.Tag is null)
            {
                await context.Out.WriteLineAsync("Using default tag: latest").ConfigureAwait(false);
            }

            query.Add("tag", r.Tag ?? "latest");
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // The daemon needs the header even when empty: docker sends "{}" encoded then.
            ["X-Registry-Auth"] = DockerConfigFile.RegistryAuthFor(DockerConfigFile.RegistryOf(r.Name)) ?? DockerConfigFile.Encode([]),
        };
        var quiet = invocation.Flags.Bool("quiet");
        var (response, stream) = await context.Client.OpenStreamAsync(HttpMethod.Post, $"/images/{ApiPath.Escape(r.Name)}/push", query, null, headers, cancellationToken).ConfigureAwait(false);
        using (response)
        await using (stream.ConfigureAwait(false))
        {
            await ProgressDisplay.DisplayAsync(stream, quiet ? TextWriter.Null : context.Out, !quiet && context.IsStdoutTerminal, cancellationToken).ConfigureAwait(false);
        }

        if (quiet)
        {
            await context.Out.WriteLineAsync(r.Name + ":" + (r.Tag ?? "latest")).ConfigureAwait(false);
        }

        return 0;
    }
}
