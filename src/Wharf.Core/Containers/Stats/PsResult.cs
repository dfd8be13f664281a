namespace Wharf.Core.Containers.Stats;

/// <summary>What the host's <c>ps</c> printed and how it ended.</summary>
public sealed record PsResult(int ExitCode, string Stdout, string Stderr);
