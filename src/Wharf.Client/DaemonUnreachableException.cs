namespace Wharf.Client;

/// <summary>No daemon answered at the host; the message is docker's "Cannot connect to the Docker daemon ...".</summary>
public sealed class DaemonUnreachableException : Exception
{
    public DaemonUnreachableException(DaemonHost host, Exception inner)
        : base($"Cannot connect to the Docker daemon at {host}. Is the docker daemon running?", inner)
    {
    }
}
