using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Wharf.Registry.Config;

namespace Wharf.Registry.Tests;

public sealed class AuthTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wharf-registry-auth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteHtpasswd()
    {
        var path = Path.Combine(_dir, "htpasswd");
        // $2y$ is what `htpasswd -B` writes; the library writes $2a$/$2b$ and must read both.
        var alice = BCrypt.Net.BCrypt.HashPassword("wonderland", 4).Replace("$2a$", "$2y$", StringComparison.Ordinal);
        var bob = BCrypt.Net.BCrypt.HashPassword("builder", 4);
        File.WriteAllText(path, $"alice:{alice}\nbob:{bob}\n");
        return path;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    [Fact]
    public async Task BasicAuthChallengesChecksPasswordsAndAppliesRules()
    {
        var htpasswd = WriteHtpasswd();
        await using var reg = await TestRegistry.StartAsync(c =>
        {
            c.Htpasswd = htpasswd;
            c.Access =
            [
                new AccessRule { Account = "alice", Repository = "*", Actions = ["*"] },
                new AccessRule { Account = "bob", Repository = "bob/*", Actions = ["pull", "push"] },
                new AccessRule { Account = "anonymous", Repository = "public/*", Actions = ["pull"] },
            ];
        });
        using (var anon = await reg.Client.GetAsync("/v2/"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anon.StatusCode);
            Assert.Equal("Basic", anon.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal("UNAUTHORIZED", await TestRegistry.ErrorCodeAsync(anon));
        }
        reg.Client.DefaultRequestHeaders.Authorization = Basic("alice", "wrong");
        using (var wrong = await reg.Client.GetAsync("/v2/"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        reg.Client.DefaultRequestHeaders.Authorization = Basic("alice", "wonderland");
        using (var ok = await reg.Client.GetAsync("/v2/"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        await reg.PushImageAsync("public/app", "v1");
        reg.Client.DefaultRequestHeaders.Authorization = Basic("bob", "builder");
        await reg.PushImageAsync("bob/app", "v1");
        using (var denied = await reg.Client.PostAsync("/v2/public/app/blobs/uploads/", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Equal("DENIED", await TestRegistry.ErrorCodeAsync(denied));
        }
        reg.Client.DefaultRequestHeaders.Authorization = null;
        using (var publicPull = await reg.Client.GetAsync("/v2/public/app/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.OK, publicPull.StatusCode);
        }
        using var privatePull = await reg.Client.GetAsync("/v2/bob/app/manifests/v1");
        Assert.Equal(HttpStatusCode.Unauthorized, privatePull.StatusCode);
    }

    [Fact]
    public async Task BearerTokenFlowGrantsOnlyAllowedActions()
    {
        var htpasswd = WriteHtpasswd();
        await using var reg = await TestRegistry.StartAsync(c =>
        {
            c.Auth = "token";
            c.Htpasswd = htpasswd;
            c.Service = "test-registry";
            c.Access =
            [
                new AccessRule { Account = "alice", Repository = "*", Actions = ["pull", "push", "delete"] },
                new AccessRule { Account = "anonymous", Repository = "*", Actions = ["pull"] },
            ];
        });
        using (var challenge = await reg.Client.PostAsync("/v2/team/app/blobs/uploads/", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
            var header = challenge.Headers.WwwAuthenticate.Single();
            Assert.Equal("Bearer", header.Scheme);
            Assert.Equal($"realm=\"{reg.BaseAddress}token\",service=\"test-registry\",scope=\"repository:team/app:pull,push\"", header.Parameter);
        }
        var aliceToken = await TokenAsync(reg, Basic("alice", "wonderland"), "repository:team/app:pull,push");
        reg.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", aliceToken);
        await reg.PushImageAsync("team/app", "v1");

        // Anonymous: the token carries pull only, so a push is refused with insufficient_scope.
        var anonToken = await TokenAsync(reg, null, "repository:team/app:pull,push");
        reg.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", anonToken);
        using (var pull = await reg.Client.GetAsync("/v2/team/app/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.OK, pull.StatusCode);
        }
        using (var push = await reg.Client.PostAsync("/v2/team/app/blobs/uploads/", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
            Assert.Contains("insufficient_scope", push.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
        }
        // A token for one repository does not open another.
        using (var other = await reg.Client.GetAsync("/v2/other/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        }
        // A forged or tampered token is worthless.
        reg.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", aliceToken[..^4] + "AAAA");
        using (var forged = await reg.Client.GetAsync("/v2/team/app/manifests/v1"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }
        reg.Client.DefaultRequestHeaders.Authorization = null;
        using var badLogin = new HttpRequestMessage(HttpMethod.Get, "/token?service=test-registry&scope=repository:team/app:pull");
        badLogin.Headers.Authorization = Basic("alice", "nope");
        using var bad = await reg.Client.SendAsync(badLogin);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    private static async Task<string> TokenAsync(TestRegistry reg, AuthenticationHeaderValue? auth, string scope)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, $"/token?service=test-registry&scope={Uri.EscapeDataString(scope)}");
        req.Headers.Authorization = auth;
        using var r = await reg.Client.SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.GetProperty("expires_in").GetInt32() > 0);
        return doc.RootElement.GetProperty("token").GetString()!;
    }
}
