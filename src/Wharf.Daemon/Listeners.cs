using System.Net.Sockets;

namespace Wharf.Daemon;

/// <summary>Parses <c>-H</c> addresses and prepares unix socket paths.</summary>
internal static class Listeners
{
    public static string UnixPath(string host)
    {
        if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = host["unix://".Length..];
            return path.Length > 0 ? path : "/run/wharf/wharf.sock";
        }

        if (host.StartsWith('/'))
        {
            return host;
        }

        if (host.StartsWith("tcp://", StringComparison.Ordinal) || host.StartsWith("fd://", StringComparison.Ordinal))
        {
            throw new DaemonStartException($"{host}: only unix sockets are supported for now (TCP requires mutual TLS, which is not implemented yet)");
        }

        throw new DaemonStartException($"invalid host address: {host}");
    }

    /// <summary>
    /// Removes a stale socket file left by a killed daemon, but refuses to steal a socket another
    /// live daemon is serving.
    /// </summary>
    public static void PrepareSocket(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            throw new DaemonStartException($"another daemon is already listening on {path}");
        }
        catch (SocketException)
        {
            File.Delete(path);
        }
    }
}
