namespace Wharf.Core.Containers;

/// <summary>How a container's init ended: exit code (128+signal when killed), time, OOM.</summary>
public sealed record RuntimeExit(int ExitCode, DateTimeOffset ExitedAt, bool OomKilled);
