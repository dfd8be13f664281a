using System.Globalization;
using Wharf.Core.Containers;
using Wharf.Core.Errors;

namespace Wharf.Runtime.Runc;

public sealed partial class ShimRuntime : IContainerResourceUpdater
{
    /// <summary>
    /// <c>runc update</c> with only the settings that change; runc merges them into the
    /// container's cgroup config and writes the files in a safe order (memory before or after
    /// memory+swap, whichever the kernel accepts).
    /// </summary>
    public async Task UpdateResourcesAsync(string id, LiveResourceUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var paths = Existing(id);
        if (File.Exists(paths.Exit))
        {
            throw NotRunning(id);
        }

        var args = new List<string> { "update" };
        void Add(string flag, IFormattable? value)
        {
            if (value is not null)
            {
                args.Add(flag);
                args.Add(value.ToString(null, CultureInfo.InvariantCulture));
            }
        }

        Add("--memory", update.Memory);
        Add("--memory-swap", update.MemorySwap);
        Add("--memory-reservation", update.MemoryReservation);
        Add("--cpu-share", update.CpuShares);
        Add("--cpu-period", update.CpuPeriod);
        Add("--cpu-quota", update.CpuQuota);
        Add("--cpu-rt-period", update.CpuRealtimePeriod);
        Add("--cpu-rt-runtime", update.CpuRealtimeRuntime);
        Add("--pids-limit", update.PidsLimit);
        Add("--blkio-weight", update.BlkioWeight);
        if (update.CpusetCpus is { Length: > 0 } cpus)
        {
            args.AddRange(["--cpuset-cpus", cpus]);
        }

        if (update.CpusetMems is { Length: > 0 } mems)
        {
            args.AddRange(["--cpuset-mems", mems]);
        }

        if (args.Count == 1)
        {
            return;
        }

        args.Add(id);
        var r = await RuncAsync(CommandOf(paths), args, cancellationToken).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            var message = ShimFiles.RuncError(r.StdErr);
            ShimRuntimeLog.RuncFailed(logger, "update", id, message);
            throw new WharfException(ErrorKind.Internal, message);
        }
    }
}
