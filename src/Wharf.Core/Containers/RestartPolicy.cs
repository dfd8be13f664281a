namespace Wharf.Core.Containers;

/// <summary>Docker's restart policy: no, always, unless-stopped, on-failure[:MaximumRetryCount].</summary>
public sealed record RestartPolicy(string Name = "no", int MaximumRetryCount = 0);
