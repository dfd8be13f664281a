namespace Wharf.Cli.Commands;

/// <summary>
/// One row of <c>stats</c> (docker's StatsEntry): what the user named, what the daemon said, and
/// the figures computed from a sample. <see cref="IsInvalid"/> rows show "--" (the stream failed).
/// </summary>
internal sealed record StatsEntry
{
    public required string Container { get; init; }

    public string Name { get; init; } = "";

    public string Id { get; init; } = "";

    public double CpuPercentage { get; init; }

    public double Memory { get; init; }

    public double MemoryLimit { get; init; }

    public double MemoryPercentage { get; init; }

    public double NetworkRx { get; init; }

    public double NetworkTx { get; init; }

    public ulong BlockRead { get; init; }

    public ulong BlockWrite { get; init; }

    public ulong PidsCurrent { get; init; }

    public bool IsInvalid { get; init; }
}
