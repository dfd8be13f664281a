namespace Wharf.Core.Containers;

/// <summary>What a wait returns: the exit code and, when waiting failed, why.</summary>
public sealed record ContainerExit(int StatusCode, string? Error = null);
