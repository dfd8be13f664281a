namespace Wharf.Core.Containers.Stats;

/// <summary>Runs the host's <c>ps</c> with the given arguments (no shell), as <c>docker top</c> does.</summary>
public interface IHostProcessLister
{
    Task<PsResult> RunPsAsync(IReadOnlyList<string> args, CancellationToken cancellationToken);
}
