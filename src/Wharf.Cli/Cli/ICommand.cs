namespace Wharf.Cli.Cli;

/// <summary>One CLI command; stateless, so the same instance can serve several paths (images, image ls).</summary>
internal interface ICommand
{
    CommandSpec Spec { get; }

    /// <returns>The process exit code.</returns>
    Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken);
}
