using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Wharf.Core.Errors;
using Wharf.Oci.References;

namespace Wharf.Distribution;

/// <summary>
/// Where a registry is reached: its endpoints (mirrors first), whether plain HTTP is allowed,
/// and one HTTP client per host trusting the host's certs.d CAs (<c>*.crt</c>) as well as the
/// system's and presenting its client certificate (<c>*.cert</c> with <c>*.key</c>), as dockerd's
/// <c>/etc/docker/certs.d/&lt;host:port&gt;/</c>.
/// </summary>
internal sealed class RegistryHosts : IDisposable
{
    /// <summary>Docker Hub's references say docker.io; its API lives here.</summary>
    public const string DockerHubApiHost = "registry-1.docker.io";

    private readonly RegistrySettings _settings;
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _tlsErrors = new(StringComparer.OrdinalIgnoreCase);
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

    /// <summary>
    /// The client for a host. certs.d is read again on every call (as dockerd does), so a CA or
    /// client certificate put there takes effect on the next pull without a restart.
    /// </summary>
    public HttpClient ClientFor(RegistryEndpoint endpoint)
    {
        var files = CertFiles(endpoint.Host);
        var key = endpoint.Host + "|" + !endpoint.Secure + "|" + string.Join("|", files.Select(f => f + "@" + File.GetLastWriteTimeUtc(f).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return _clients.GetOrAdd(key, _ => CreateClient(endpoint.Host, !endpoint.Secure, files));
    }

    /// <summary>The last certificate problem seen with a host, in Go's x509 words (for error messages).</summary>
    public string? TlsErrorFor(string host) => _tlsErrors.TryGetValue(host, out var e) ? e : null;

    /// <summary>The host's certs.d files (<c>*.crt</c> CAs, <c>*.cert</c>/<c>*.key</c> client pairs), sorted.</summary>
    private List<string> CertFiles(string host)
    {
        if (_settings.CertsDirectory is not { } dir || host.Contains("..", StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal))
        {
            return [];
        }

        var folder = Path.Combine(dir, host);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var files = Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".crt", StringComparison.Ordinal) || f.EndsWith(".cert", StringComparison.Ordinal) || f.EndsWith(".key", StringComparison.Ordinal)).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private HttpClient CreateClient(string host, bool insecure, List<string> files)
    {
        var extraCas = new X509Certificate2Collection();
        var clientCerts = new X509Certificate2Collection();
        foreach (var f in files)
        {
            if (f.EndsWith(".crt", StringComparison.Ordinal))
            {
                extraCas.ImportFromPemFile(f);
            }
            else if (f.EndsWith(".cert", StringComparison.Ordinal))
            {
                // As dockerd: client.cert goes with client.key.
                var keyFile = f[..^".cert".Length] + ".key";
                if (!files.Contains(keyFile))
                {
                    throw WharfException.Invalid($"missing key {Path.GetFileName(keyFile)} for client certificate {Path.GetFileName(f)}. CA must have a extension of .crt");
                }

                using var pem = X509Certificate2.CreateFromPemFile(f, keyFile);
                clientCerts.Add(X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null));
            }
            else
            {
                var certFile = f[..^".key".Length] + ".cert";
                if (!files.Contains(certFile))
                {
                    throw WharfException.Invalid($"missing client certificate {Path.GetFileName(certFile)} for key {Path.GetFileName(f)}");
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
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, chain, errors) => Validate(host, insecure, extraCas, cert, chain, errors),
            },
        };
        if (clientCerts.Count > 0)
        {
            handler.SslOptions.ClientCertificates = clientCerts;
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, local, _, _) => local[0];
        }

        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private bool Validate(string host, bool insecure, X509Certificate2Collection cas, X509Certificate? cert, X509Chain? chain, SslPolicyErrors errors)
    {
        if (insecure || errors == SslPolicyErrors.None || (cas.Count > 0 && TrustedBy(cas, cert, errors)))
        {
            _tlsErrors.TryRemove(host, out _);
            return true;
        }

        _tlsErrors[host] = "tls: failed to verify certificate: " + Describe(host, cert, chain, errors);
        return false;
    }

    /// <summary>Go's x509 wording for what went wrong, which is what docker users search for.</summary>
    private static string Describe(string host, X509Certificate? cert, X509Chain? chain, SslPolicyErrors errors)
    {
        if (cert is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return "x509: the server sent no certificate";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return $"x509: certificate is not valid for {HostOnly(host)}";
        }

        var status = chain?.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status) ?? X509ChainStatusFlags.NoError;
        if ((status & X509ChainStatusFlags.NotTimeValid) != 0)
        {
            return "x509: certificate has expired or is not yet valid";
        }

        return "x509: certificate signed by unknown authority";
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
