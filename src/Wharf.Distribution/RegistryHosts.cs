using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Wharf.Oci.References;

namespace Wharf.Distribution;

/// <summary>
/// Where a registry is reached: its endpoints (mirrors first), whether plain HTTP is allowed,
/// and one HTTP client per host trusting the host's certs.d CA as well as the system's.
/// </summary>
internal sealed class RegistryHosts : IDisposable
{
    /// <summary>Docker Hub's references say docker.io; its API lives here.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    private readonly RegistrySettings _settings;
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly List<(IPAddress Network, int Prefix)> _insecureNets = [];
    private readonly HashSet<string> _insecureHosts = new(StringComparer.OrdinalIgnoreCase);

    public RegistryHosts(RegistrySettings settings)
    {
        _settings = settings;
        foreach (var entry in settings.InsecureRegistries)
        {
            var e = StripScheme(entry);
            if (e.Contains('/', StringComparison.Ordinal) && TryParseCidr(e, out var net, out var prefix))
            {
                _insecureNets.Add((net, prefix));
            }
            else
            {
                _insecureHosts.Add(e);
            }
        }
    }

    /// <summary>The API host for a reference's domain.</summary>
    public static string ApiHost(string domain) => domain == ImageReference.DefaultDomain ? DockerHubApiHost : domain;

    /// <summary>Mirrors in order, then the registry itself.</summary>
    public IReadOnlyList<RegistryEndpoint> EndpointsFor(string domain)
    {
        var list = new List<RegistryEndpoint>();
        foreach (var m in _settings.Mirrors)
        {
            var scheme = m.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "http" : m.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "https" : null;
            var host = StripScheme(m).TrimEnd('/');
            list.Add(new RegistryEndpoint(host, !IsInsecure(host), IsMirror: true, scheme));
        }

        var api = ApiHost(domain);
        list.Add(new RegistryEndpoint(api, !IsInsecure(api), IsMirror: false, null));
        return list;
    }

    public RegistryEndpoint EndpointFor(string domain)
    {
        var api = ApiHost(domain);
        return new RegistryEndpoint(api, !IsInsecure(api), IsMirror: false, null);
    }

    /// <summary>As Docker: listed hosts, listed CIDRs, and loopback addresses may use plain HTTP.</summary>
    public bool IsInsecure(string hostPort)
    {
        if (_insecureHosts.Contains(hostPort))
        {
            return true;
        }

        var host = HostOnly(hostPort);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!IPAddress.TryParse(host, out var ip))
        {
            return false;
        }

        if (IPAddress.IsLoopback(ip))
        {
            return true;
        }

        return _insecureNets.Any(n => InNetwork(ip, n.Network, n.Prefix));
    }

    public HttpClient ClientFor(RegistryEndpoint endpoint)
        => _clients.GetOrAdd(endpoint.Host, host => CreateClient(host, !endpoint.Secure));

    private HttpClient CreateClient(string host, bool insecure)
    {
        X509Certificate2Collection? extraCas = null;
        if (_settings.CertsDirectory is { } dir)
        {
            var folder = Path.Combine(dir, host);
            if (Directory.Exists(folder))
            {
                extraCas = [];
                foreach (var crt in Directory.EnumerateFiles(folder, "*.crt"))
                {
                    extraCas.ImportFromPemFile(crt);
                }
            }
        }

        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(15),
            MaxConnectionsPerServer = 16,
            UseProxy = false,
        };
        if (insecure || extraCas is { Count: > 0 })
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, chain, errors) => insecure || errors == SslPolicyErrors.None || TrustedBy(extraCas!, cert, errors),
            };
        }

        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static bool TrustedBy(X509Certificate2Collection cas, X509Certificate? cert, SslPolicyErrors errors)
    {
        if (cert is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var c2 = X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
        return chain.Build(c2);
    }

    private static string StripScheme(string s)
    {
        var i = s.IndexOf("://", StringComparison.Ordinal);
        return i >= 0 ? s[(i + 3)..] : s;
    }

    private static string HostOnly(string hostPort)
    {
        if (hostPort.StartsWith('['))
        {
            var end = hostPort.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? hostPort[1..end] : hostPort;
        }

        var colon = hostPort.LastIndexOf(':');
        return colon > 0 && hostPort.IndexOf(':', StringComparison.Ordinal) == colon ? hostPort[..colon] : hostPort;
    }

    private static bool TryParseCidr(string s, out IPAddress network, out int prefix)
    {
        network = IPAddress.None;
        prefix = 0;
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        return IPAddress.TryParse(s[..slash], out network!) && int.TryParse(s[(slash + 1)..], out prefix) && prefix >= 0 && prefix <= (network.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }

    private static bool InNetwork(IPAddress ip, IPAddress network, int prefix)
    {
        var a = ip.GetAddressBytes();
        var b = network.GetAddressBytes();
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length && prefix > 0; i++, prefix -= 8)
        {
            var mask = prefix >= 8 ? 0xff : (byte)(0xff << (8 - prefix));
            if ((a[i] & mask) != (b[i] & mask))
            {
                return false;
            }
        }

        return true;
    }

    public void Dispose()
    {
        foreach (var c in _clients.Values)
        {
            c.Dispose();
        }
    }
}
