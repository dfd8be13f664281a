namespace Wharf.Core.Containers;

/// <summary>One record of a container's log: the stream (1 stdout, 2 stderr), its time and bytes.</summary>
public sealed record LogEntry(int Stream, DateTimeOffset Time, ReadOnlyMemory<byte> Data);
