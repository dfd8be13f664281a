namespace Wharf.Core.Containers;

/// <summary>How the monitor wires a container's stdio and log.</summary>
public sealed record RuntimeIo(bool Tty, bool OpenStdin, string LogPath, long LogMaxSize, int LogMaxFiles);
