namespace Wharf.Core.Containers.Stats;

/// <summary>One block-I/O counter of one device; <see cref="Op"/> is Read, Write, Sync, Async, Discard, Total or "".</summary>
public sealed record BlkioEntry(ulong Major, ulong Minor, string Op, ulong Value);
