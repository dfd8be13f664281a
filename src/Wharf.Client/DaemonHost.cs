namespace Wharf.Client;

/// <summary>Where the daemon listens: <c>unix:///path</c> or plain <c>tcp://host:port</c>.</summary>
public sealed record DaemonHost(string Scheme, string Address, int Port)
{
    public const string DefaultHost = "unix:///run/wharf/wharf.sock";

    /// <summary>The host as the user would write it, e.g. <c>unix:///run/wharf/wharf.sock</c>.</summary>
    public override string ToString() => Scheme == "unix" ? "unix://" + Address : $"tcp://{Address}:{Port}";

    /// <summary>Chooses the host the way the CLI does: <c>-H</c> flag, then WHARF_HOST, then DOCKER_HOST, then the default.</summary>
    public static DaemonHost Resolve(string? flagValue, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        string? host = NullIfEmpty(flagValue)
            ?? NullIfEmpty(getEnvironmentVariable("WHARF_HOST"))
            ?? NullIfEmpty(getEnvironmentVariable("DOCKER_HOST"))
            ?? DefaultHost;
        return Parse(host);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <exception cref="FormatException">When the address cannot be used.</exception>
    public static DaemonHost Parse(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        int sep = host.IndexOf("://", StringComparison.Ordinal);
        if (sep < 0)
        {
            throw new FormatException($"unable to parse docker host `{host}`");
        }
        string scheme = host[..sep].ToLowerInvariant();
        string rest = host[(sep + 3)..];
        switch (scheme)
        {
            case "unix":
                if (rest.Length == 0)
                {
                    rest = "/run/wharf/wharf.sock";
                }
                return new DaemonHost("unix", rest, 0);
            case "tcp" or "http":
                rest = rest.TrimEnd('/');
                if (rest.Length == 0)
                {
                    throw new FormatException($"unable to parse docker host `{host}`");
                }
                int port = 2375;
                string address = rest;
                int colon = rest.LastIndexOf(':');
                if (colon >= 0 && !rest.EndsWith(']'))
                {
                    if (!int.TryParse(rest.AsSpan(colon + 1), System.Globalization.NumberStyles.None,
                            System.Globalization.CultureInfo.InvariantCulture, out port) || port is <= 0 or > 65535)
                    {
                        throw new FormatException($"invalid port in docker host `{host}`");
                    }
                    address = rest[..colon];
                }
                if (address.Length == 0)
                {
                    address = "127.0.0.1";
                }
                return new DaemonHost("tcp", address, port);
            default:
                throw new FormatException($"protocol not available: {scheme}");
        }
    }
}
