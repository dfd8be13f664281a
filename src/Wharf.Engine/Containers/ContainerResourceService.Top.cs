using Wharf.Core.Containers.Stats;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerResourceService
{
    public async Task<ContainerTop> TopAsync(string name, string? psArgs, CancellationToken cancellationToken)
    {
        var argsText = string.IsNullOrEmpty(psArgs) ? "-ef" : psArgs;
        PsOutput.ValidateArgs(argsText);
        var rec = _containers.Inspect(name);
        if (!rec.State.Running || rec.State.Pid <= 0)
        {
            throw WharfException.Conflict($"Container {rec.Id} is not running");
        }

        if (rec.State.Status == "restarting")
        {
            throw WharfException.Conflict($"Container {rec.Id} is restarting, wait until the container is running");
        }

        var pids = _metrics.ListPids(rec.State.Pid);
        var args = PsOutput.SplitArgs(argsText);
        var result = await _ps.RunPsAsync([.. args, PsOutput.PidsArg(pids)], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            // Some options (f, -C) do not go with -q: list everything and filter instead.
            result = await _ps.RunPsAsync(args, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                var first = result.Stderr.Split('\n')[0];
                throw new WharfException(ErrorKind.Internal, "ps: " + (first.Length > 0 ? first : $"exit status {result.ExitCode}"));
            }
        }

        var top = PsOutput.Parse(result.Stdout, pids.ToHashSet());
        _containers.PublishEvent(rec, "top");
        return top;
    }
}
