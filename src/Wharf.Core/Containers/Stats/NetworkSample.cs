namespace Wharf.Core.Containers.Stats;

/// <summary>Counters of one network interface (/proc/PID/net/dev).</summary>
public sealed record NetworkSample
{
    public ulong RxBytes { get; init; }

    public ulong RxPackets { get; init; }

    public ulong RxErrors { get; init; }

    public ulong RxDropped { get; init; }

    public ulong TxBytes { get; init; }

    public ulong TxPackets { get; init; }

    public ulong TxErrors { get; init; }

    public ulong TxDropped { get; init; }
}
