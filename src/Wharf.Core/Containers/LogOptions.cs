namespace Wharf.Core.Containers;

/// <summary>Docker's /logs options; Tail &lt; 0 means all lines.</summary>
public sealed record LogOptions(bool Stdout, bool Stderr, bool Follow, DateTimeOffset? Since, DateTimeOffset? Until, int Tail);
