using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Wharf.Registry.Config;

namespace Wharf.Registry.Tests;

public sealed class TlsAndConfigTests
{
    [Fact]
    public async Task ServesHttpsWithACertificateAndKey()
    {
        var dir = Directory.CreateTempSubdirectory("wharf-registry-tls-").FullName;
        try
        {
            using var key = RSA.Create(2048);
            var req = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            req.CertificateExtensions.Add(san.Build());
            using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            var certPath = Path.Combine(dir, "cert.pem");
            var keyPath = Path.Combine(dir, "key.pem");
            File.WriteAllText(certPath, cert.ExportCertificatePem());
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            await using var reg = await TestRegistry.StartAsync(c =>
            {
                c.TlsCert = certPath;
                c.TlsKey = keyPath;
            });
            Assert.Equal("https", reg.BaseAddress.Scheme);
            using var r = await reg.Client.GetAsync("/v2/");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            await reg.PushImageAsync("secure/app", "v1");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ReadsYamlAndJsonConfigs()
    {
        var yaml = RegistryConfigLoader.Parse("""
            addr: 127.0.0.1:5001
            root: /tmp/r
            auth: token
            htpasswd: /etc/registry/htpasswd
            max_manifest_bytes: 1000
            access:
              - account: alice
                repository: "team/*"
                actions: [pull, push]
            """, json: false);
        Assert.Equal("127.0.0.1:5001", yaml.Addr);
        Assert.Equal("token", yaml.Auth);
        Assert.Equal(1000, yaml.MaxManifestBytes);
        Assert.Equal(["pull", "push"], Assert.Single(yaml.Access!).Actions);

        var json = RegistryConfigLoader.Parse("""{"addr":":5002","root":"/tmp/j","tls_cert":"c.pem","tls_key":"k.pem"}""", json: true);
        Assert.Equal(":5002", json.Addr);
        Assert.Equal("k.pem", json.TlsKey);
        Assert.Throws<FormatException>(() => RegistryConfigLoader.Parse("{ not json", json: true));
    }

    [Fact]
    public void ReadsADockerDistributionConfig()
    {
        var config = RegistryConfigLoader.Parse("""
            version: 0.1
            log:
              level: info
            storage:
              cache:
                blobdescriptor: inmemory
              filesystem:
                rootdirectory: /var/lib/docker-registry
              delete:
                enabled: true
            http:
              addr: :5000
              tls:
                certificate: /etc/r/cert.pem
                key: /etc/r/key.pem
            auth:
              htpasswd:
                realm: basic-realm
                path: /etc/r/htpasswd
            """, json: false);
        Assert.Equal(":5000", config.Addr);
        Assert.Equal("/var/lib/docker-registry", config.Root);
        Assert.Equal("/etc/r/key.pem", config.TlsKey);
        Assert.Equal("basic", config.Auth);
        Assert.Equal("/etc/r/htpasswd", config.Htpasswd);
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000")]
    [InlineData(":5000", "0.0.0.0:5000")]
    [InlineData("[::1]:0", "[::1]:0")]
    [InlineData("localhost:7", "127.0.0.1:7")]
    public void ParsesListenAddresses(string addr, string expected) =>
        Assert.Equal(expected, RegistryServer.ParseAddress(addr).ToString());

    [Theory]
    [InlineData("nope")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:99999")]
    public void RefusesBadAddresses(string addr) => Assert.Throws<ArgumentException>(() => RegistryServer.ParseAddress(addr));
}
