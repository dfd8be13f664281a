using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>commit</c>, <c>container commit</c>: POST /commit, prints the new image ID.</summary>
internal sealed class CommitCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
        "Create a new image from a container's changes",
        [
            FlagSpec.String("author", 'a', "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"),
            FlagSpec.List("change", 'c', "Apply Dockerfile instruction to the created image"),
            FlagSpec.String("message", 'm', "Commit message"),
            FlagSpec.Bool("pause", 'p', "Pause container during commit", defaultValue: true),
        ],
        new ArgsRule(1, 2),
        ["container commit", "commit"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var query = new QueryBuilder().Add("container", invocation.Args[0]);
        if (invocation.Args.Count > 1)
        {
            var reference = ImageReference.Parse(invocation.Args[1]);
            if (reference.Digest is not null)
            {
                throw new CliErrorException("invalid reference format");
            }

            query.Add("repo", reference.Name).Add("tag", reference.Tag);
        }

        query.Add("comment", invocation.Flags.String("message") is { Length: > 0 } m ? m : null)
            .Add("author", invocation.Flags.String("author") is { Length: > 0 } a ? a : null)
            .Add("pause", invocation.Flags.Bool("pause") ? "1" : "0");
        foreach (var change in invocation.Flags.List("change"))
        {
            query.Add("changes", change);
        }

        var answer = await context.Client.PostJsonAsync("/commit", query, null, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(answer?["Id"]?.GetValue<string>() ?? "").ConfigureAwait(false);
        return 0;
    }
}
