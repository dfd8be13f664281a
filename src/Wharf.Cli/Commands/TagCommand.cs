using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>tag</c>, <c>image tag</c>.</summary>
internal sealed class TagCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
        [],
        ArgsRule.Exactly(2),
        ["image tag", "tag"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var target = ImageReference.Parse(invocation.Args[1]);
        if (target.Digest is not null)
        {
            throw new CliErrorException("refusing to create a tag with a digest reference");
        }
        var query = new QueryBuilder()
            .Add("repo", ImageReference.Familiar(target.Name))
            .Add("tag", target.Tag ?? "latest");
        await context.Client.PostJsonAsync($"/images/{Wharf.Client.ApiPath.Escape(invocation.Args[0])}/tag", query, null, cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
