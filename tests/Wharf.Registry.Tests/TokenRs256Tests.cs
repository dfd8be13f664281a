using System.Buffers.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Wharf.Registry.Auth;
using Wharf.Registry.Config;

namespace Wharf.Registry.Tests;

/// <summary>
/// RS256 bearer tokens named by <c>kid</c>: the built-in issuer signs with an RSA key, and the
/// proof that the kid and signature are what distribution expects is Debian's docker-registry
/// (distribution 2.8) accepting the tokens with only the key's certificate in its rootcertbundle.
/// A JWK set adds keys of an external issuer; unknown kids, HS256 tokens in RS256 mode and
/// tampered tokens are refused.
/// </summary>
public sealed class TokenRs256Tests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wharf-registry-rs256-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteKey(RSA key)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
        return path;
    }

    private string WriteHtpasswd()
    {
        var path = Path.Combine(_dir, "htpasswd");
        File.WriteAllText(path, "alice:" + BCrypt.Net.BCrypt.HashPassword("wonderland", 4) + "\n");
        return path;
    }

    private static Action<RegistryConfig> TokenConfig(string htpasswd, string signingKey, string? jwks = null) => c =>
    {
        c.Auth = "token";
        c.Htpasswd = htpasswd;
        c.Service = "rs256-test";
        c.TokenIssuer = "rs256-issuer";
        c.TokenSigningKey = signingKey;
        c.TokenJwks = jwks;
        c.Access = [new AccessRule { Account = "alice", Repository = "*", Actions = ["pull", "push"] }];
    };

    private static async Task<string> TokenAsync(HttpClient client, string scope)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, $"/token?service=rs256-test&scope={Uri.EscapeDataString(scope)}");
        req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("alice:wonderland"u8.ToArray()));
        using var r = await client.SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("token").GetString()!;
    }

    private static JsonElement Part(string token, int index) => JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[index])).RootElement;

    /// <summary>A token as an external issuer would make it: RS256 under <paramref name="key"/> with <paramref name="kid"/>.</summary>
    private static string Forge(RSA key, string kid, string alg = "RS256")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"alg\":\"{alg}\",\"typ\":\"JWT\",\"kid\":\"{kid}\"}}"));
        var claims = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{{\"iss\":\"external\",\"sub\":\"carol\",\"aud\":\"rs256-test\",\"exp\":{now + 300},\"nbf\":{now - 5},\"iat\":{now},\"jti\":\"{Guid.NewGuid():N}\",\"access\":[{{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull\"]}}]}}"));
        var signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + claims), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + claims + "." + Base64Url.EncodeToString(signature);
    }

    [Fact]
    public void TheKeyIdHasLibtrustsShape()
    {
        using var key = RSA.Create(2048);
        var kid = TokenKeyId.Of(key);
        Assert.Matches("^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$", kid);
        Assert.Equal(kid, TokenKeyId.Of(RSA.Create(key.ExportParameters(false))));
        using var other = RSA.Create(2048);
        Assert.NotEqual(kid, TokenKeyId.Of(other));
    }

    [Fact]
    public async Task TheIssuerSignsRs256WithAKidAndTheRegistryVerifiesByKey()
    {
        using var key = RSA.Create(2048);
        using var external = RSA.Create(2048);
        var jwks = Path.Combine(_dir, "jwks.json");
        await File.WriteAllTextAsync(jwks, "{\"keys\":[" + JwkSet.ToJwk(external, "external-1") + "]}");
        await using var reg = await TestRegistry.StartAsync(TokenConfig(WriteHtpasswd(), WriteKey(key), jwks));

        var token = await TokenAsync(reg.Client, "repository:team/app:pull,push");
        Assert.Equal("RS256", Part(token, 0).GetProperty("alg").GetString());
        Assert.Equal(TokenKeyId.Of(key), Part(token, 0).GetProperty("kid").GetString());
        Assert.Equal("rs256-issuer", Part(token, 1).GetProperty("iss").GetString());
        var parts = token.Split('.');
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        reg.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await reg.PushImageAsync("team/app", "v1");

        async Task<HttpStatusCode> PullWith(string bearer)
        {
            reg.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using var r = await reg.Client.GetAsync("/v2/team/app/manifests/v1");
            return r.StatusCode;
        }

        // The external issuer's key is in the JWK set: its token is good for what it grants.
        Assert.Equal(HttpStatusCode.OK, await PullWith(Forge(external, "external-1")));

        // An unknown kid, a known kid with the wrong key, an HS256 token, a tampered signature: refused.
        using var stranger = RSA.Create(2048);
        Assert.Equal(HttpStatusCode.Unauthorized, await PullWith(Forge(stranger, "stranger")));
        Assert.Equal(HttpStatusCode.Unauthorized, await PullWith(Forge(stranger, "external-1")));
        Assert.Equal(HttpStatusCode.Unauthorized, await PullWith(Forge(stranger, TokenKeyId.Of(key))));
        Assert.Equal(HttpStatusCode.Unauthorized, await PullWith(Forge(external, "external-1", "HS256")));
        Assert.Equal(HttpStatusCode.Unauthorized, await PullWith(token[..^6] + (token[^6] == 'A' ? "BBBBBB" : "AAAAAA")));
    }

    [Fact]
    public async Task BadKeyFilesAreConfigErrors()
    {
        var notAKey = Path.Combine(_dir, "bad.pem");
        await File.WriteAllTextAsync(notAKey, "not a key");
        await Assert.ThrowsAsync<ArgumentException>(() => TestRegistry.StartAsync(TokenConfig(WriteHtpasswd(), notAKey), Path.Combine(_dir, "root1")));
        using var key = RSA.Create(2048);
        var badJwks = Path.Combine(_dir, "bad.json");
        await File.WriteAllTextAsync(badJwks, "{\"nokeys\":1}");
        await Assert.ThrowsAsync<ArgumentException>(() => TestRegistry.StartAsync(TokenConfig(WriteHtpasswd(), WriteKey(key), badJwks), Path.Combine(_dir, "root2")));
    }

    [Fact]
    public async Task DistributionAcceptsTheTokensWithTheKeysCertificateAsItsRootBundle()
    {
        Assert.True(File.Exists("/usr/bin/docker-registry"), "docker-registry is installed by scripts/install-deps.sh --test");
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=wharf token issuer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var bundle = Path.Combine(_dir, "bundle.pem");
        await File.WriteAllTextAsync(bundle, cert.ExportCertificatePem());
        await using var issuer = await TestRegistry.StartAsync(TokenConfig(WriteHtpasswd(), WriteKey(key)));

        var port = FreePort();
        var config = Path.Combine(_dir, "distribution.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {Path.Combine(_dir, "distribution-data")}
            http:
              addr: 127.0.0.1:{port}
            auth:
              token:
                realm: {issuer.BaseAddress}token
                service: rs256-test
                issuer: rs256-issuer
                rootcertbundle: {bundle}
            """);
        var psi = new ProcessStartInfo("/usr/bin/docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(config);
        using var distribution = Process.Start(psi)!;
        distribution.OutputDataReceived += (_, _) => { };
        distribution.ErrorDataReceived += (_, _) => { };
        distribution.BeginOutputReadLine();
        distribution.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            HttpResponseMessage? challenge = null;
            for (var i = 0; i < 200 && challenge is null; i++)
            {
                try
                {
                    challenge = await client.GetAsync("/v2/");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(50);
                }
            }
            Assert.NotNull(challenge);
            Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
            Assert.Contains(issuer.BaseAddress + "token", challenge.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
            challenge.Dispose();

            // A push scope from Wharf's issuer opens an upload on distribution.
            var token = await TokenAsync(issuer.Client, "repository:team/app:pull,push");
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using (var base_ = await client.GetAsync("/v2/"))
            {
                Assert.Equal(HttpStatusCode.OK, base_.StatusCode);
            }
            using (var upload = await client.PostAsync("/v2/team/app/blobs/uploads/", null))
            {
                Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
            }

            // The same token does not open another repository, and a tampered one nothing.
            using (var other = await client.PostAsync("/v2/other/app/blobs/uploads/", null))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
            }
            using var stranger = RSA.Create(2048);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Forge(stranger, TokenKeyId.Of(key)));
            using var forged = await client.GetAsync("/v2/");
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }
        finally
        {
            distribution.Kill();
            await distribution.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
