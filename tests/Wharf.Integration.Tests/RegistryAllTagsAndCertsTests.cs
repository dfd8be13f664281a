using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary><c>docker pull -a</c> / <c>wharf pull -a</c>, and per-registry CAs in certs.d against a TLS <c>wharf registry serve</c>.</summary>
public sealed class RegistryAllTagsAndCertsTests
{
    private static string Config(string? more = null) => "{\"cgroup-parent\":\"wharf-it-regall-" + Guid.NewGuid().ToString("N")[..8] + "\"" + (more is null ? "" : "," + more) + "}";

    [Fact]
    public async Task PullAllTagsPullsEveryTagOfTheRepository()
    {
        await using var reg = await LocalRegistry.StartAsync();
        await using var d = await WharfDaemon.StartAsync(Config());
        var ids = new Dictionary<string, string>();
        foreach (var tag in new[] { "v1", "v2" })
        {
            var local = "seed/all-" + tag;
            ids[tag] = await d.ImportAsync(Tars.Busybox("all-" + tag), local, "v1", "CMD [\"sh\"]");
            await reg.PushWithSkopeoAsync(d, local + ":v1", "team/all:" + tag);
            Assert.Equal(0, (await d.DockerAsync("rmi", "-f", ids[tag])).ExitCode);
        }

        var repo = reg.Host + "/team/all";
        var pull = await d.DockerAsync("pull", "--all-tags", repo);
        Assert.True(pull.ExitCode == 0, pull.Stderr + pull.Stdout);
        Assert.Contains("v1: Pulling from team/all", pull.Stdout.Replace(reg.Host + "/", "", StringComparison.Ordinal));
        Assert.Contains("v2: Pulling from team/all", pull.Stdout.Replace(reg.Host + "/", "", StringComparison.Ordinal));
        Assert.Equal(2, pull.Stdout.Split('\n').Count(l => l.StartsWith("Digest: sha256:", StringComparison.Ordinal)));
        Assert.Contains("Status: Downloaded newer image for " + repo + "\n", pull.Stdout);
        foreach (var (tag, id) in ids)
        {
            Assert.Equal(id, JsonNode.Parse((await d.DockerAsync("image", "inspect", repo + ":" + tag)).Stdout)![0]!["Id"]!.GetValue<string>());
        }

        // The API's empty tag means every tag too; nothing new this time.
        var again = await d.WharfAsync("pull", "-a", repo);
        Assert.True(again.ExitCode == 0, again.Stderr + again.Stdout);
        Assert.Contains("Status: Image is up to date for " + repo, again.Stdout);
        Assert.DoesNotContain("Using default tag", again.Stdout);

        var withTag = await d.WharfAsync("pull", "-a", repo + ":v1");
        Assert.NotEqual(0, withTag.ExitCode);
        Assert.Contains("tag can't be used with --all-tags/-a", withTag.Stderr);

        var missing = await d.DockerAsync("pull", "-a", reg.Host + "/team/none");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("not found", missing.Stderr);
    }

    [Fact]
    public async Task ATlsRegistryIsTrustedThroughItsCaInCertsDOnly()
    {
        var ip = NonLoopbackAddress();
        Assert.True(ip is not null, "this test needs a non-loopback IPv4 address (loopback registries are insecure by default, as in dockerd)");
        var dir = Directory.CreateTempSubdirectory("wharf-it-certs-").FullName;
        Process? server = null;
        try
        {
            // A CA and a server certificate it signs, made here.
            using var caKey = RSA.Create(2048);
            var caReq = new CertificateRequest("CN=Wharf Test CA " + Guid.NewGuid().ToString("N")[..8], caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            using var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            using var leafKey = RSA.Create(2048);
            var leafReq = new CertificateRequest("CN=" + ip, leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(ip!);
            leafReq.CertificateExtensions.Add(san.Build());
            leafReq.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            using var leaf = leafReq.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
            var certPath = Path.Combine(dir, "server.crt");
            var keyPath = Path.Combine(dir, "server.key");
            await File.WriteAllTextAsync(certPath, leaf.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, leafKey.ExportPkcs8PrivateKeyPem());

            var host = $"{ip}:{LocalRegistry.FreePort()}";
            server = await ServeAsync(host, Path.Combine(dir, "root"), certPath, keyPath);
            await using var d = await WharfDaemon.StartAsync(Config());
            var local = "seed/tls-" + Guid.NewGuid().ToString("N")[..8];
            var id = await d.ImportAsync(Tars.Busybox("tls"), local, "v1", "CMD [\"sh\"]");
            var archive = Path.Combine(dir, "seed.tar");
            await using (var f = File.Create(archive))
            {
                using var r = await d.Client.GetAsync($"/images/{local}:v1/get", HttpCompletionOption.ResponseHeadersRead);
                await r.Content.CopyToAsync(f);
            }

            var copy = await ProcessRunner.RunAsync("skopeo", ["copy", "--quiet", "docker-archive:" + archive, $"docker://{host}/secure/app:v1", "--dest-tls-verify=false"]);
            Assert.True(copy.ExitCode == 0, copy.Stderr);
            Assert.Equal(0, (await d.DockerAsync("rmi", "-f", id)).ExitCode);

            // No CA for the host: a clear x509 error, nothing pulled.
            var refused = await d.DockerAsync("pull", host + "/secure/app:v1");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("x509: certificate signed by unknown authority", refused.Stderr);

            // certs.d (next to daemon.json) holds the CA: the same pull works, without a restart.
            var certsD = Path.Combine(d.Dir, "certs.d", host);
            Directory.CreateDirectory(certsD);
            await File.WriteAllTextAsync(Path.Combine(certsD, "ca.crt"), ca.ExportCertificatePem());
            var pull = await d.DockerAsync("pull", host + "/secure/app:v1");
            Assert.True(pull.ExitCode == 0, pull.Stderr + pull.Stdout);
            Assert.Equal(id, JsonNode.Parse((await d.DockerAsync("image", "inspect", host + "/secure/app:v1")).Stdout)![0]!["Id"]!.GetValue<string>());
        }
        finally
        {
            if (server is { HasExited: false })
            {
                server.Kill();
                await server.WaitForExitAsync();
            }

            server?.Dispose();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task InsecureRegistriesAllowPlainHttpAndUnverifiedTlsOnlyForTheListedHostsAndNetworks()
    {
        var ip = NonLoopbackAddress();
        Assert.True(ip is not null, "this test needs a non-loopback IPv4 address (loopback registries are insecure by default, as in dockerd)");
        var dir = Directory.CreateTempSubdirectory("wharf-it-insecure-").FullName;
        var servers = new List<Process>();
        try
        {
            // A self-signed certificate that no CA vouches for.
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=" + ip, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(ip!);
            request.CertificateExtensions.Add(san.Build());
            using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12));
            var certPath = Path.Combine(dir, "self.crt");
            var keyPath = Path.Combine(dir, "self.key");
            await File.WriteAllTextAsync(certPath, self.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
            var plain = $"{ip}:{LocalRegistry.FreePort()}";
            var tls = $"{ip}:{LocalRegistry.FreePort()}";
            servers.Add(await ServeAsync(plain, Path.Combine(dir, "plain"), null, null));
            servers.Add(await ServeAsync(tls, Path.Combine(dir, "tls"), certPath, keyPath));

            string id;
            await using (var seeder = await WharfDaemon.StartAsync(Config()))
            {
                var local = "seed/insecure-" + Guid.NewGuid().ToString("N")[..8];
                id = await seeder.ImportAsync(Tars.Busybox("insecure"), local, "v1", "CMD [\"sh\"]");
                var archive = Path.Combine(dir, "seed.tar");
                await using (var f = File.Create(archive))
                {
                    using var r = await seeder.Client.GetAsync($"/images/{local}:v1/get", HttpCompletionOption.ResponseHeadersRead);
                    await r.Content.CopyToAsync(f);
                }
                foreach (var host in new[] { plain, tls })
                {
                    var copy = await ProcessRunner.RunAsync("skopeo", ["copy", "--quiet", "docker-archive:" + archive, $"docker://{host}/team/app:v1", "--dest-tls-verify=false"]);
                    Assert.True(copy.ExitCode == 0, copy.Stderr);
                }
            }

            // Only the plain registry's host:port is listed: HTTP works there, the unverified TLS host is still refused.
            await using (var d = await WharfDaemon.StartAsync(Config("\"insecure-registries\":[\"" + plain + "\"]")))
            {
                var pulled = await d.DockerAsync("pull", plain + "/team/app:v1");
                Assert.True(pulled.ExitCode == 0, pulled.Stderr + pulled.Stdout);
                Assert.Equal(id, JsonNode.Parse((await d.DockerAsync("image", "inspect", plain + "/team/app:v1")).Stdout)![0]!["Id"]!.GetValue<string>());
                var refused = await d.DockerAsync("pull", tls + "/team/app:v1");
                Assert.NotEqual(0, refused.ExitCode);
                Assert.Contains("x509:", refused.Stderr);
                Assert.Equal("", (await d.DockerAsync("images", "-q", tls + "/team/app")).Stdout.Trim());
            }

            // Not listed at all: a non-loopback registry must speak verified TLS.
            await using (var d = await WharfDaemon.StartAsync(Config()))
            {
                var refused = await d.DockerAsync("pull", plain + "/team/app:v1");
                Assert.NotEqual(0, refused.ExitCode);
                Assert.True(refused.Stderr.Contains("server gave HTTP response to HTTPS client", StringComparison.Ordinal), refused.Stderr);
            }

            // A CIDR covering both: each is pulled, the TLS one without verifying its certificate.
            await using (var d = await WharfDaemon.StartAsync(Config("\"insecure-registries\":[\"" + ip + "/32\"]")))
            {
                foreach (var host in new[] { plain, tls })
                {
                    var pulled = await d.DockerAsync("pull", host + "/team/app:v1");
                    Assert.True(pulled.ExitCode == 0, host + ": " + pulled.Stderr + pulled.Stdout);
                }
                var info = JsonNode.Parse((await d.DockerAsync("info", "--format", "{{json .RegistryConfig.InsecureRegistryCIDRs}}")).Stdout)!.AsArray();
                Assert.Contains(info, n => n!.GetValue<string>() == ip + "/32");
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                if (!server.HasExited)
                {
                    server.Kill();
                    await server.WaitForExitAsync();
                }
                server.Dispose();
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    private static IPAddress? NonLoopbackAddress()
        => NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    /// <summary>Starts <c>wharf registry serve</c> on <paramref name="addr"/>: TLS with the given pair, plain HTTP with none.</summary>
    private static async Task<Process> ServeAsync(string addr, string root, string? cert, string? key)
    {
        var psi = new ProcessStartInfo(Repo.Wharf) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] args = cert is null ? ["registry", "serve", "--addr", addr, "--root", root] : ["registry", "serve", "--addr", addr, "--root", root, "--tls-cert", cert, "--tls-key", key!];
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var resp = await http.GetAsync($"{(cert is null ? "http" : "https")}://{addr}/v2/");
                if (resp.StatusCode == HttpStatusCode.OK)
                {
                    return p;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        p.Kill();
        p.Dispose();
        throw new TimeoutException("wharf registry serve did not start");
    }
}
