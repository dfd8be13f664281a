using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// Container responses against the shapes recorded from Debian's dockerd 20.10 (API 1.41).
/// Known differences are listed: parts of dockerd Wharf does not have yet (networks, volumes,
/// health, the graph driver's directories).
/// </summary>
public sealed class ContainerShapeTests : IAsyncLifetime
{
    private static readonly string[] Known =
    [
        "$.NetworkSettings",
        "$.GraphDriver.Data",
        "$.Mounts",
        "$[0].NetworkSettings",
        "$[0].Mounts",
        "$[0].Ports",
        "$.Config.Healthcheck",
        "$.State.Health",
    ];

    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("shapes"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private static List<string> Diff(string golden, JsonNode actual)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Repo.Golden(Path.Combine("containers", golden))));
        return [.. JsonShape.Differences(expected, actual).Where(d => !Known.Any(k => d.StartsWith(k, StringComparison.Ordinal)))];
    }

    [Fact]
    public async Task CreateInspectListWaitMatchDockerd()
    {
        var create = await _d.SendAsync(HttpMethod.Post, "/v1.41/containers/create", new StringContent("""{"Image":"busybox","Cmd":["sh","-c","exit 3"],"HostConfig":{"NetworkMode":"none"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(201, create.Status);
        var created = JsonNode.Parse(create.Body)!;
        Assert.Empty(Diff("container-create-minimal-response.json", created));
        var id = created["Id"]!.GetValue<string>();

        var inspect = await _d.GetJsonAsync($"/v1.41/containers/{id}/json");
        var diffs = Diff("container-inspect-minimal-created.json", inspect);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));

        // A HostConfig without RestartPolicy: dockerd 20.10 shows an empty policy, not null.
        Assert.Equal("""{"Name":"","MaximumRetryCount":0}""", inspect["HostConfig"]!["RestartPolicy"]!.ToJsonString());

        var listed = Diff("containers-json-all-created.json", await _d.GetJsonAsync("/v1.41/containers/json?all=1"));
        Assert.True(listed.Count == 0, string.Join("\n", listed));

        Assert.Equal(204, (await _d.SendAsync(HttpMethod.Post, $"/v1.41/containers/{id}/start")).Status);
        var wait = await _d.SendAsync(HttpMethod.Post, $"/v1.41/containers/{id}/wait");
        Assert.Empty(Diff("container-wait-exited-response.json", JsonNode.Parse(wait.Body)!));
        Assert.Equal(3, JsonNode.Parse(wait.Body)!["StatusCode"]!.GetValue<int>());

        var exited = Diff("container-inspect-minimal-exited.json", await _d.GetJsonAsync($"/v1.41/containers/{id}/json"));
        Assert.True(exited.Count == 0, string.Join("\n", exited));
        Assert.Equal(304, (await _d.SendAsync(HttpMethod.Post, $"/v1.41/containers/{id}/stop")).Status);

        var prune = await _d.SendAsync(HttpMethod.Post, "/v1.41/containers/prune");
        Assert.Empty(Diff("containers-prune-response.json", JsonNode.Parse(prune.Body)!));
    }

    [Fact]
    public async Task LogFramesAreDockersMultiplexedFormat()
    {
        var create = await _d.SendAsync(HttpMethod.Post, "/containers/create", new StringContent("""{"Image":"busybox","Cmd":["sh","-c","echo to-stdout; echo to-stderr >&2"],"HostConfig":{"NetworkMode":"none"}}""", System.Text.Encoding.UTF8, "application/json"));
        var id = JsonNode.Parse(create.Body)!["Id"]!.GetValue<string>();
        await _d.SendAsync(HttpMethod.Post, $"/containers/{id}/start");
        await _d.SendAsync(HttpMethod.Post, $"/containers/{id}/wait");
        using var r = await _d.Client.GetAsync($"/containers/{id}/logs?stdout=1&stderr=1");
        var bytes = await r.Content.ReadAsByteArrayAsync();
        // Frame: [stream, 0, 0, 0, big-endian length] + payload.
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 10], bytes[..8]);
        Assert.Equal("to-stdout\n", System.Text.Encoding.ASCII.GetString(bytes, 8, 10));
        Assert.Equal(2, bytes[18]);
        Assert.Equal("to-stderr\n", System.Text.Encoding.ASCII.GetString(bytes, 26, 10));

        var none = await _d.SendAsync(HttpMethod.Get, $"/containers/{id}/logs");
        Assert.Equal(400, none.Status);
        Assert.Contains("you must choose at least one stream", none.Body, StringComparison.Ordinal);
    }
}
