using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// Wharf's responses against golden JSON recorded once from Debian's dockerd 20.10 (API 1.41),
/// compared by shape. Keys listed as known differences are ones Wharf omits on purpose (they
/// describe parts of dockerd Wharf does not have, e.g. containerd) and are pinned here so a new
/// difference fails the test.
/// </summary>
public sealed class ApiShapeTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        var id = await _d.ImportAsync(Tars.Busybox("shape"), "busybox", "latest", "CMD [\"sh\"]", "LABEL a=b");
        await _d.SendAsync(HttpMethod.Post, $"/images/{id}/tag?repo=localhost:5000/app&tag=v1");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    [Theory]
    [InlineData("version.json", "/v1.41/version", new[] { "$.Components[0].Details.GoVersion", "$.Components[0].Details.BuildTime" })]
    // Runtimes: dockerd 20.10 lists containerd's runc shims; wharfd lists crun too when it is installed.
    [InlineData("info.json", "/v1.41/info", new[] { "$.KernelMemory: missing", "$.ContainerdCommit: missing", "$.RuncCommit: missing", "$.InitCommit: missing", "$.Runtimes.io.containerd", "$.Runtimes.crun" })]
    [InlineData("images-json.json", "/v1.41/images/json", new string[0])]
    [InlineData("image-inspect.json", "/v1.41/images/busybox/json", new[] { "$.GraphDriver.Data" })]
    [InlineData("image-history.json", "/v1.41/images/busybox/history", new string[0])]
    [InlineData("system-df.json", "/v1.41/system/df", new string[0])]
    public async Task MatchesDockerdShape(string golden, string path, string[] knownDifferences)
    {
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Repo.Golden(golden)));
        var actual = await _d.GetJsonAsync(path);
        var diffs = JsonShape.Differences(expected, actual)
            .Where(d => !knownDifferences.Any(k => d.StartsWith(k, StringComparison.Ordinal)))
            .ToList();
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
    }

    [Fact]
    public async Task NewerApiVersionsDropRemovedFields()
    {
        var old = await _d.GetJsonAsync("/v1.41/images/busybox/json");
        var current = await _d.GetJsonAsync("/v1.47/images/busybox/json");
        Assert.NotNull(old["VirtualSize"]);
        Assert.NotNull(old["ContainerConfig"]);
        Assert.Null(current["VirtualSize"]);
        Assert.Null(current["ContainerConfig"]);
        var list = (await _d.GetJsonAsync("/v1.47/images/json")).AsArray();
        Assert.False(list[0]!.AsObject().ContainsKey("VirtualSize"));
    }

    [Fact]
    public async Task PingHasDockerHeaders()
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var r = await _d.Client.SendAsync(new HttpRequestMessage(method, "/_ping"));
            Assert.Equal(200, (int)r.StatusCode);
            Assert.Equal("1.47", r.Headers.GetValues("Api-Version").Single());
            Assert.Equal("linux", r.Headers.GetValues("Ostype").Single());
            Assert.True(r.Headers.Contains("Builder-Version"));
            Assert.Equal(method == HttpMethod.Get ? "OK" : "", await r.Content.ReadAsStringAsync());
        }
    }
}
