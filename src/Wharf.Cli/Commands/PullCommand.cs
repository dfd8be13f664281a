using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>pull</c>, <c>image pull</c>: POST /images/create?fromImage= with the stored credentials.</summary>
internal sealed class PullCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] NAME[:TAG|@DIGEST]",
        "Download an image from a registry",
        [
            FlagSpec.Bool("all-tags", 'a', "Download all tagged images in the repository"),
            FlagSpec.String("platform", null, "Set platform if server is multi-platform capable"),
            FlagSpec.Bool("quiet", 'q', "Suppress verbose output"),
        ],
        ArgsRule.Exactly(1),
        ["image pull", "pull"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var r = ImageReference.Parse(invocation.Args[0]);
        var all = invocation.Flags.Bool("all-tags");
        if (all && (r.Tag is not null || r.Digest is not null))
        {
            throw new CliErrorException("tag can't be used with --all-tags/-a");
        }

        if (!all && r.Tag is null && r.Digest is null)
        {
            await context.Out.WriteLineAsync("Using default tag: latest").ConfigureAwait(false);
        }

        // No tag at all asks the daemon for every tag of the repository.
        var tag = all ? null : r.Digest ?? r.Tag ?? "latest";
        var query = new QueryBuilder().Add("fromImage", r.Name);
        if (tag is not null)
        {
            query.Add("tag", tag);
        }
        if (invocation.Flags.String("platform") is { Length: > 0 } platform)
        {
            query.Add("platform", platform);
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (DockerConfigFile.RegistryAuthFor(DockerConfigFile.RegistryOf(r.Name)) is { } auth)
        {
            headers["X-Registry-Auth"] = auth;
        }

        var quiet = invocation.Flags.Bool("quiet");
        var (response, stream) = await context.Client.OpenStreamAsync(HttpMethod.Post, "/images/create", query, null, headers, cancellationToken).ConfigureAwait(false);
        using (response)
        await using (stream.ConfigureAwait(false))
        {
            await ProgressDisplay.DisplayAsync(stream, quiet ? TextWriter.Null : context.Out, !quiet && context.IsStdoutTerminal, cancellationToken).ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync(Canonical(r.Name) + (tag is null ? "" : r.Digest is null ? ":" + tag : "@" + tag)).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The full name docker prints after a pull: docker.io/library/busybox.</summary>
    internal static string Canonical(string name)
    {
        if (DockerConfigFile.RegistryOf(name) != "docker.io" || name.StartsWith("docker.io/", StringComparison.Ordinal))
        {
            return name;
        }

        return "docker.io/" + (name.Contains('/', StringComparison.Ordinal) ? name : "library/" + name);
    }
}
