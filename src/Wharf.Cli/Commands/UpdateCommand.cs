using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>update</c>, <c>container update</c>: new resource limits or restart policy for running or stopped containers.</summary>
internal sealed class UpdateCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] CONTAINER [CONTAINER...]",
        "Update configuration of one or more containers",
        [
            FlagSpec.String("blkio-weight", null, "Block IO (relative weight), between 10 and 1000, or 0 to disable", "uint16"),
            FlagSpec.String("cpu-period", null, "Limit CPU CFS (Completely Fair Scheduler) period", "int"),
            FlagSpec.String("cpu-quota", null, "Limit CPU CFS (Completely Fair Scheduler) quota", "int"),
            FlagSpec.String("cpu-rt-period", null, "Limit the CPU real-time period in microseconds", "int"),
            FlagSpec.String("cpu-rt-runtime", null, "Limit the CPU real-time runtime in microseconds", "int"),
            FlagSpec.String("cpu-shares", 'c', "CPU shares (relative weight)", "int"),
            FlagSpec.String("cpus", null, "Number of CPUs", "decimal"),
            FlagSpec.String("cpuset-cpus", null, "CPUs in which to allow execution (0-3, 0,1)"),
            FlagSpec.String("cpuset-mems", null, "MEMs in which to allow execution (0-3, 0,1)"),
            FlagSpec.String("memory", 'm', "Memory limit", "bytes"),
            FlagSpec.String("memory-reservation", null, "Memory soft limit", "bytes"),
            FlagSpec.String("memory-swap", null, "Swap limit equal to memory plus swap: -1 to enable unlimited swap", "bytes"),
            FlagSpec.String("pids-limit", null, "Tune container pids limit (set -1 for unlimited)", "int"),
            FlagSpec.String("restart", null, "Restart policy to apply when a container exits"),
        ],
        ArgsRule.AtLeast(1),
        ["container update", "update"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var body = Body(invocation.Flags);
        var warnings = new List<string>();
        var errors = new List<string>();
        foreach (var name in invocation.Args)
        {
            try
            {
                var r = await context.Client.PostJsonAsync($"/containers/{ApiPath.Escape(name)}/update", null, body, cancellationToken).ConfigureAwait(false);
                await context.Out.WriteLineAsync(name).ConfigureAwait(false);
                warnings.AddRange(ImageRows.Strings(r?["Warnings"]));
            }
            catch (DaemonErrorException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
            }
        }

        if (warnings.Count > 0)
        {
            await context.Out.WriteLineAsync(string.Join("\n", warnings)).ConfigureAwait(false);
        }

        if (errors.Count > 0)
        {
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            throw new CliErrorException(string.Join("\n", errors));
        }

        return 0;
    }

    /// <summary>The update body from the flags given; at least one flag is required.</summary>
    internal static JsonObject Body(ParsedFlags f)
    {
        var names = new[]
        {
            "blkio-weight", "cpu-period", "cpu-quota", "cpu-rt-period", "cpu-rt-runtime", "cpu-shares", "cpus", "cpuset-cpus",
            "cpuset-mems", "memory", "memory-reservation", "memory-swap", "pids-limit", "restart",
        };
        if (!names.Any(f.Changed))
        {
            throw new CliErrorException("you must provide one or more flags when using this command");
        }

        var body = new JsonObject();
        if (f.Changed("blkio-weight"))
        {
            body["BlkioWeight"] = ParseUint16(f.String("blkio-weight")!, "--blkio-weight");
        }

        void Int(string flag, string key, string display)
        {
            if (f.Changed(flag))
            {
                body[key] = ParseInt(f.String(flag)!, display);
            }
        }

        Int("cpu-period", "CpuPeriod", "--cpu-period");
        Int("cpu-quota", "CpuQuota", "--cpu-quota");
        Int("cpu-rt-period", "CpuRealtimePeriod", "--cpu-rt-period");
        Int("cpu-rt-runtime", "CpuRealtimeRuntime", "--cpu-rt-runtime");
        Int("cpu-shares", "CpuShares", "-c, --cpu-shares");
        if (f.String("cpus") is { Length: > 0 } cpus)
        {
            body["NanoCpus"] = ContainerOptions.ParseCpus(cpus);
        }

        if (f.Changed("cpuset-cpus"))
        {
            body["CpusetCpus"] = f.String("cpuset-cpus");
        }

        if (f.Changed("cpuset-mems"))
        {
            body["CpusetMems"] = f.String("cpuset-mems");
        }

        if (f.String("memory") is { Length: > 0 } memory)
        {
            body["Memory"] = ContainerOptions.ParseMemory(memory, "-m, --memory");
        }

        if (f.String("memory-reservation") is { Length: > 0 } reservation)
        {
            body["MemoryReservation"] = ContainerOptions.ParseMemory(reservation, "--memory-reservation");
        }

        if (f.String("memory-swap") is { Length: > 0 } swap)
        {
            // docker's MemSwapBytes: -1 is "unlimited", anything else a size.
            body["MemorySwap"] = swap == "-1" ? -1 : ContainerOptions.ParseMemory(swap, "--memory-swap");
        }

        if (f.Changed("pids-limit") && ParseInt(f.String("pids-limit")!, "--pids-limit") is var pids && pids != 0)
        {
            body["PidsLimit"] = pids;
        }

        if (f.String("restart") is { Length: > 0 } restart)
        {
            body["RestartPolicy"] = ContainerOptions.RestartPolicy(restart);
        }

        return body;
    }

    private static long ParseInt(string s, string flag) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
            : throw new UsageException($"invalid argument \"{s}\" for \"{flag}\" flag: strconv.ParseInt: parsing \"{s}\": invalid syntax");

    private static ushort ParseUint16(string s, string flag)
    {
        if (!ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw new UsageException($"invalid argument \"{s}\" for \"{flag}\" flag: strconv.ParseUint: parsing \"{s}\": invalid syntax");
        }

        return n <= ushort.MaxValue ? (ushort)n
            : throw new UsageException($"invalid argument \"{s}\" for \"{flag}\" flag: strconv.ParseUint: parsing \"{s}\": value out of range");
    }
}
