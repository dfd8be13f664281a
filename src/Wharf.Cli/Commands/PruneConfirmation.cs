using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary>The question every <c>prune</c> asks before it runs without <c>--force</c>, as docker asks it.</summary>
internal static class PruneConfirmation
{
    /// <summary>Prints the warning and the question; true when the answer is y or yes.</summary>
    public static async Task<bool> ConfirmAsync(CommandContext context, string warning, CancellationToken cancellationToken)
    {
        await context.Out.WriteAsync(warning + "\nAre you sure you want to continue? [y/N] ").ConfigureAwait(false);
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        var answer = (context.ReadLine() ?? "").Trim();
        return answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase);
    }
}
