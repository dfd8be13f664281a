namespace Wharf.Daemon;

/// <summary>A start-up failure with a message for the operator (pidfile taken, socket in use, ...).</summary>
internal sealed class DaemonStartException(string message) : Exception(message);
