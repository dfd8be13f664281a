namespace Wharf.Core.Containers.Stats;

/// <summary>
/// Block-I/O counters. cgroup v1 fills every list (empty when the kernel has nothing to say);
/// cgroup v2 has only <see cref="IoServiceBytesRecursive"/> (null when no device saw I/O) and
/// leaves the others null, as Docker does.
/// </summary>
public sealed record BlkioSample
{
    public IReadOnlyList<BlkioEntry>? IoServiceBytesRecursive { get; init; }

    public IReadOnlyList<BlkioEntry>? IoServicedRecursive { get; init; }

    public IReadOnlyList<BlkioEntry>? IoQueueRecursive { get; init; }

    public IReadOnlyList<BlkioEntry>? IoServiceTimeRecursive { get; init; }

    public IReadOnlyList<BlkioEntry>? IoWaitTimeRecursive { get; init; }

    public IReadOnlyList<BlkioEntry>? IoMergedRecursive { get; init; }

    public IReadOnlyList<BlkioEntry>? IoTimeRecursive { get; init; }

    public IReadOnlyList<BlkioEntry>? SectorsRecursive { get; init; }
}
