using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>The save archive is readable by OCI tools (skopeo) as both formats, and by docker load.</summary>
public sealed class SaveInteropTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync() => _d = await WharfDaemon.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    [Fact]
    public async Task SkopeoReadsTheArchiveAsOciAndDockerArchive()
    {
        Assert.True(File.Exists("/usr/bin/skopeo"), "skopeo is installed by scripts/install-deps.sh");
        var id = await _d.ImportAsync(Tars.Busybox("skopeo"), "interop/app", "v2", "CMD [\"sh\"]");
        var archive = Path.Combine(_d.Dir, "interop.tar");
        await using (var f = File.Create(archive))
        {
            using var r = await _d.Client.GetAsync("/images/interop/app:v2/get", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(200, (int)r.StatusCode);
            await r.Content.CopyToAsync(f);
        }

        var oci = await ProcessRunner.RunAsync("skopeo", ["inspect", "--config", "oci-archive:" + archive]);
        Assert.True(oci.ExitCode == 0, oci.Stderr);
        var ociConfig = JsonNode.Parse(oci.Stdout)!;
        Assert.Equal("sh", ociConfig["config"]!["Cmd"]![0]!.GetValue<string>());

        var docker = await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", "--config", "docker-archive:" + archive]);
        Assert.True(docker.ExitCode == 0, docker.Stderr);
        var raw = docker.Stdout.Trim();
        Assert.Equal(id, "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw))));
    }

    [Fact]
    public async Task GetWithSeveralNamesSavesThemAll()
    {
        var a = await _d.ImportAsync(Tars.Busybox("a"), "multi/a", "1");
        var b = await _d.ImportAsync(Tars.Busybox("b"), "multi/b", "1");
        using var r = await _d.Client.GetAsync("/images/get?names=multi/a:1&names=multi/b:1");
        Assert.Equal(200, (int)r.StatusCode);
        var bytes = await r.Content.ReadAsByteArrayAsync();
        await _d.SendAsync(HttpMethod.Delete, "/images/multi/a:1");
        await _d.SendAsync(HttpMethod.Delete, "/images/multi/b:1");
        var (s, body) = await _d.SendAsync(HttpMethod.Post, "/images/load?quiet=1", new ByteArrayContent(bytes));
        Assert.Equal(200, s);
        Assert.Contains("Loaded image: multi/a:1", body, StringComparison.Ordinal);
        Assert.Contains("Loaded image: multi/b:1", body, StringComparison.Ordinal);
        Assert.Equal(a, (await _d.GetJsonAsync("/images/multi/a:1/json"))["Id"]!.GetValue<string>());
        Assert.Equal(b, (await _d.GetJsonAsync("/images/multi/b:1/json"))["Id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SaveOfAMissingImageIs404BeforeAnyBytes()
    {
        var (s, body) = await _d.SendAsync(HttpMethod.Get, "/images/get?names=nope:1");
        Assert.Equal(404, s);
        Assert.Contains("No such image: nope:1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonQuietLoadStreamsDockersProgressMessages()
    {
        await _d.ImportAsync(Tars.Busybox("progress"), "prog/ress", "1");
        using var save = await _d.Client.GetAsync("/images/prog/ress:1/get");
        var bytes = await save.Content.ReadAsByteArrayAsync();
        await _d.SendAsync(HttpMethod.Delete, "/images/prog/ress:1");
        var (s, body) = await _d.SendAsync(HttpMethod.Post, "/images/load", new ByteArrayContent(bytes));
        Assert.Equal(200, s);
        var lines = body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Contains(lines, l => l["status"]?.GetValue<string>() == "Loading layer" && l["progressDetail"]?["total"] is not null && l["progress"]!.GetValue<string>().StartsWith('['));
        Assert.Equal("Loaded image: prog/ress:1\n", lines[^1]["stream"]!.GetValue<string>());
    }
}
