namespace Wharf.Core.Exec;

/// <summary>A started exec: the process's host pid and, when attached, its stdio stream.</summary>
public sealed record ExecStarted(int Pid, Stream? Stream);
