namespace Wharf.Core.Containers;

/// <summary>The runtime's view of a container: init pid, whether it runs, and its exit once it has one.</summary>
public sealed record RuntimeStatus(int Pid, bool Running, bool Paused, RuntimeExit? Exit);
