namespace Wharf.Core.Containers;

/// <summary>One health probe: when it ran, its exit code (-1 when it could not run or timed out) and its output (at most 4096 bytes).</summary>
public sealed record HealthProbeResult(DateTimeOffset Start, DateTimeOffset End, int ExitCode, string Output);
