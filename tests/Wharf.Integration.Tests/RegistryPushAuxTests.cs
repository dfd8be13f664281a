using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// The push stream ends each tag as dockerd does: the "TAG: digest: D size: N" status, then an
/// <c>aux</c> message with the same figures (<c>{"progressDetail":{},"aux":{"Tag":..,"Digest":..,"Size":..}}</c>,
/// moby's PushResult), checked against the manifest a real <c>wharf registry serve</c> holds.
/// </summary>
public sealed class RegistryPushAuxTests
{
    [Fact]
    public async Task EveryPushedTagEndsWithAnAuxPushResult()
    {
        await using var reg = await WharfRegistryServer.StartAsync();
        await using var d = await WharfDaemon.StartAsync("{\"cgroup-parent\":\"wharf-it-pushaux-" + Guid.NewGuid().ToString("N")[..8] + "\"}");
        var repo = reg.Host + "/aux/app";
        await d.ImportAsync(Tars.Busybox("aux"), repo, "v1");
        Assert.Equal(0, (await d.DockerAsync("tag", repo + ":v1", repo + ":v2")).ExitCode);

        // No tag: every tag of the repository, each closed by its own aux message.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/images/{repo}/push");
        request.Headers.Add("X-Registry-Auth", "e30=");
        using var response = await d.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        var lines = body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(lines, l => l.Contains("\"error\"", StringComparison.Ordinal));
        foreach (var tag in new[] { "v1", "v2" })
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/v2/aux/app/manifests/{tag}");
            get.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
            get.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
            using var manifest = await reg.Http.SendAsync(get);
            Assert.Equal(200, (int)manifest.StatusCode);
            var bytes = await manifest.Content.ReadAsByteArrayAsync();
            var digest = WharfRegistryServer.DigestOf(bytes);

            var status = Array.FindIndex(lines, l => l == $"{{\"status\":\"{tag}: digest: {digest} size: {bytes.Length}\"}}");
            Assert.True(status >= 0, body);
            Assert.Equal($"{{\"progressDetail\":{{}},\"aux\":{{\"Tag\":\"{tag}\",\"Digest\":\"{digest}\",\"Size\":{bytes.Length}}}}}", lines[status + 1]);
        }

        Assert.StartsWith("{\"progressDetail\":{},\"aux\":", lines[^1], StringComparison.Ordinal);

        // The docker CLI takes the aux message silently, as with dockerd.
        var cli = await d.DockerAsync("push", repo + ":v1");
        Assert.True(cli.ExitCode == 0, cli.Stderr);
        Assert.EndsWith("size: " + JsonNode.Parse(lines[^1])!["aux"]!["Size"]!.GetValue<int>(), cli.Stdout.Trim());
    }
}
