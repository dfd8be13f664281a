using Wharf.Core.Containers.Stats;
using Wharf.Runtime.Runc;

namespace Wharf.Runtime.Cgroups;

/// <summary>Runs the host's <c>ps</c> (from PATH), bounded by a timeout like every helper the runtime starts.</summary>
public sealed class HostProcessLister : IHostProcessLister
{
    public async Task<PsResult> RunPsAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        try
        {
            var r = await ChildProcess.RunAsync("ps", args, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return new PsResult(r.ExitCode, r.StdOut, r.StdErr);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // How Go's exec reports a missing binary; docker top shows it after "ps: ".
            return new PsResult(127, "", "exec: \"ps\": executable file not found in $PATH");
        }
    }
}
