using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Wharf.Core.Errors;

namespace Wharf.Distribution.Tests;

/// <summary>certs.d as dockerd's: CAs (*.crt) trusted for their host only, client.cert/client.key presented, Go's x509 wording on failure.</summary>
public sealed class CertsDirectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wharf-certsd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static X509Certificate2 MakeCa(RSA key, string name)
    {
        var req = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, RSA key, string cn, bool server)
    {
        var req = new CertificateRequest("CN=" + cn, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            req.CertificateExtensions.Add(san.Build());
        }

        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        using var issued = req.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A one-connection TLS server on loopback that asks for a client certificate and answers 200.</summary>
    private static async Task<(int Port, Task<X509Certificate?> ClientCert)> ServeOnceAsync(X509Certificate2 serverCert)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = Task.Run(async () =>
        {
            try
            {
                using var tcp = await listener.AcceptTcpClientAsync();
                await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
                try
                {
                    // Exported and re-imported so the key is usable by the server side on Linux.
                    using var pfx = X509CertificateLoader.LoadPkcs12(serverCert.Export(X509ContentType.Pkcs12), null);
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = pfx, ClientCertificateRequired = true });
                }
                catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
                {
                    return null;
                }

                var buffer = new byte[4096];
                _ = await ssl.ReadAsync(buffer);
                await ssl.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"));
                return ssl.RemoteCertificate;
            }
            finally
            {
                listener.Stop();
            }
        });
        await Task.Yield();
        return (port, served);
    }

    [Fact]
    public async Task TheHostsCaIsTrustedAndItsClientCertificateIsPresented()
    {
        using var caKey = RSA.Create(2048);
        using var ca = MakeCa(caKey, "certs.d test CA");
        using var serverKey = RSA.Create(2048);
        using var server = Issue(ca, serverKey, "127.0.0.1", server: true);
        using var clientKey = RSA.Create(2048);
        using var client = Issue(ca, clientKey, "wharf client", server: false);
        var (port, seen) = await ServeOnceAsync(server);
        var host = "127.0.0.1:" + port;
        var folder = Path.Combine(_dir, host);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "ca.crt"), ca.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(folder, "client.cert"), client.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(folder, "client.key"), clientKey.ExportPkcs8PrivateKeyPem());

        using var hosts = new RegistryHosts(new RegistrySettings { StateRoot = _dir, CertsDirectory = _dir });
        var http = hosts.ClientFor(new RegistryEndpoint(host, Secure: true, IsMirror: false, null));
        using var response = await http.GetAsync(new Uri($"https://{host}/v2/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var presented = await seen;
        Assert.NotNull(presented);
        Assert.Equal(client.Thumbprint, new X509Certificate2(presented!).Thumbprint);
    }

    [Fact]
    public async Task WithoutTheCaTheFailureSaysX509UnknownAuthority()
    {
        using var caKey = RSA.Create(2048);
        using var ca = MakeCa(caKey, "untrusted CA");
        using var serverKey = RSA.Create(2048);
        using var server = Issue(ca, serverKey, "127.0.0.1", server: true);
        var (port, _) = await ServeOnceAsync(server);
        var host = "127.0.0.1:" + port;
        using var hosts = new RegistryHosts(new RegistrySettings { StateRoot = _dir, CertsDirectory = _dir });
        var http = hosts.ClientFor(new RegistryEndpoint(host, Secure: true, IsMirror: false, null));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"https://{host}/v2/")));
        Assert.Equal("tls: failed to verify certificate: x509: certificate signed by unknown authority", hosts.TlsErrorFor(host));
    }

    [Fact]
    public async Task AClientCertificateWithoutItsKeyIsRefusedClearly()
    {
        using var caKey = RSA.Create(2048);
        using var ca = MakeCa(caKey, "ca");
        var folder = Path.Combine(_dir, "registry.example:5000");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "client.cert"), ca.ExportCertificatePem());
        using var hosts = new RegistryHosts(new RegistrySettings { StateRoot = _dir, CertsDirectory = _dir });
        var e = Assert.Throws<WharfException>(() => hosts.ClientFor(new RegistryEndpoint("registry.example:5000", Secure: true, IsMirror: false, null)));
        Assert.Contains("missing key client.key for client certificate client.cert", e.Message);
    }
}
