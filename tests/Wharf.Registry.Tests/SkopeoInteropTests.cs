using System.Formats.Tar;
using System.Net;
using System.Text.Json;

namespace Wharf.Registry.Tests;

/// <summary>skopeo (containers/image, a second independent client) pushes to and pulls from the registry.</summary>
public sealed class SkopeoInteropTests : IAsyncLifetime
{
    private const string Skopeo = "/usr/bin/skopeo";
    private TestRegistry _reg = null!;
    private string _work = null!;

    public async Task InitializeAsync()
    {
        _reg = await TestRegistry.StartAsync();
        _work = Directory.CreateTempSubdirectory("wharf-skopeo-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _reg.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    private Task<string> Copy(params string[] args) =>
        ProcessRunner.CheckAsync(Skopeo, ["--insecure-policy", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false", .. args]);

    [Theory]
    [InlineData("oci", "application/vnd.oci.image.manifest.v1+json")]
    [InlineData("v2s2", "application/vnd.docker.distribution.manifest.v2+json")]
    public async Task PushesAnOciLayoutAndPullsItBack(string format, string mediaType)
    {
        var layout = Path.Combine(_work, "layout");
        var layer = OciLayout.Write(layout, "v1");
        var remote = $"docker://{_reg.HostPort}/interop/busybox:{format}";
        await Copy("--format", format, $"oci:{layout}:v1", remote);

        using (var get = await _reg.Client.GetAsync($"/v2/interop/busybox/manifests/{format}"))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(mediaType, get.Content.Headers.ContentType!.MediaType);
        }
        var raw = await ProcessRunner.CheckAsync(Skopeo, "inspect", "--raw", "--tls-verify=false", remote);
        using (var doc = JsonDocument.Parse(raw))
        {
            Assert.Equal(mediaType, doc.RootElement.GetProperty("mediaType").GetString());
        }

        // Back into an OCI layout: the layer arrives intact (skopeo gzips layers on push).
        var back = Path.Combine(_work, "back");
        await Copy(remote, $"oci:{back}:pulled");
        Assert.Equal(layer, PulledLayer(back));

        // And into a docker archive, the shape docker load reads.
        var archive = Path.Combine(_work, "busybox.tar");
        await Copy(remote, $"docker-archive:{archive}:interop/busybox:{format}");
        Assert.Contains(ArchiveEntries(archive), e => e == "manifest.json");
    }

    [Fact]
    public async Task PushesADockerArchiveAndCopiesAcrossRepositories()
    {
        var layout = Path.Combine(_work, "layout");
        OciLayout.Write(layout, "v1");
        var archive = Path.Combine(_work, "src.tar");
        await Copy($"oci:{layout}:v1", $"docker-archive:{archive}:local/busybox:v1");
        await Copy("--format", "v2s2", $"docker-archive:{archive}", $"docker://{_reg.HostPort}/from/archive:v1");
        // Registry to registry within the same server: skopeo mounts the blobs across repositories.
        await Copy($"docker://{_reg.HostPort}/from/archive:v1", $"docker://{_reg.HostPort}/copied/here:v2");
        var tags = await ProcessRunner.CheckAsync(Skopeo, "list-tags", "--tls-verify=false", $"docker://{_reg.HostPort}/copied/here");
        using var doc = JsonDocument.Parse(tags);
        Assert.Equal(["v2"], doc.RootElement.GetProperty("Tags").EnumerateArray().Select(e => e.GetString()!));
        var a = await _reg.Client.GetByteArrayAsync("/v2/from/archive/manifests/v1");
        var b = await _reg.Client.GetByteArrayAsync("/v2/copied/here/manifests/v2");
        Assert.Equal(a, b);
    }

    private static byte[] PulledLayer(string layout)
    {
        string Blob(string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
        using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(layout, "index.json")));
        var manifestDigest = index.RootElement.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Blob(manifestDigest)));
        var layerDigest = manifest.RootElement.GetProperty("layers")[0].GetProperty("digest").GetString()!;
        var bytes = File.ReadAllBytes(Blob(layerDigest));
        Assert.Equal(layerDigest, TestRegistry.Sha256(bytes));
        if (bytes is [0x1f, 0x8b, ..])
        {
            using var gz = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
            var plain = new MemoryStream();
            gz.CopyTo(plain);
            return plain.ToArray();
        }
        return bytes;
    }

    private static List<string> ArchiveEntries(string path)
    {
        var names = new List<string>();
        using var reader = new TarReader(File.OpenRead(path));
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
        }
        return names;
    }
}
