using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// zstd-compressed layers (application/vnd.oci.image.layer.v1.tar+zstd): an image whose layers
/// the real <c>zstd</c> tool compressed is put into a <c>wharf registry serve</c> by hand, pulled
/// through wharfd with the docker CLI and run; a broken zstd layer fails the pull and leaves no
/// image; <c>docker load</c> takes an archive with a zstd layer.
/// </summary>
public sealed class RegistryZstdTests
{
    private const string ZstdLayer = "application/vnd.oci.image.layer.v1.tar+zstd";
    private const string GzipLayer = "application/vnd.oci.image.layer.v1.tar+gzip";

    private static string Config() => "{\"cgroup-parent\":\"wharf-it-zstd-" + Guid.NewGuid().ToString("N")[..8] + "\"}";

    private static async Task<byte[]> ZstdAsync(byte[] data, string dir)
    {
        var input = Path.Combine(dir, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(input, data);
        var r = await ProcessRunner.RunAsync("zstd", ["-q", "-f", "-3", input, "-o", input + ".zst"]);
        Assert.True(r.ExitCode == 0, "zstd (Debian package zstd, installed by scripts/install-deps.sh): " + r.Stderr);
        var compressed = await File.ReadAllBytesAsync(input + ".zst");
        File.Delete(input);
        File.Delete(input + ".zst");
        Assert.Equal([0x28, 0xb5, 0x2f, 0xfd], compressed[..4]);
        return compressed;
    }

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(data);
        }

        return ms.ToArray();
    }

    private static byte[] ImageConfig(params string[] diffIds) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["architecture"] = "amd64",
        ["os"] = "linux",
        ["config"] = new JsonObject { ["Cmd"] = new JsonArray("sh"), ["Env"] = new JsonArray("PATH=/bin") },
        ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. diffIds.Select(d => JsonValue.Create(d))]) },
    }.ToJsonString());

    private static JsonObject Descriptor(string mediaType, string digest, long size) => new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = size };

    /// <summary>Uploads config and layers and tags an OCI manifest over them; returns the manifest digest.</summary>
    private static async Task<string> PushImageAsync(WharfRegistryServer reg, string repository, string tag, byte[] config, params (string MediaType, byte[] Blob)[] layers)
    {
        var configDigest = await reg.PutBlobAsync(repository, config);
        var layerArray = new JsonArray();
        foreach (var (mediaType, blob) in layers)
        {
            layerArray.Add(Descriptor(mediaType, await reg.PutBlobAsync(repository, blob), blob.Length));
        }

        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.Length),
            ["layers"] = layerArray,
        };
        return await reg.PutManifestAsync(repository, tag, Encoding.UTF8.GetBytes(manifest.ToJsonString()), "application/vnd.oci.image.manifest.v1+json");
    }

    [Fact]
    public async Task AnImageWithZstdLayersIsPulledVerifiedAndRuns()
    {
        await using var reg = await WharfRegistryServer.StartAsync();
        await using var d = await WharfDaemon.StartAsync(Config());
        var baseTar = Tars.Busybox("zstd-base");
        var topTar = Tars.Build(("etc/", null), ("etc/top", "from-the-gzip-layer"));
        var config = ImageConfig(WharfRegistryServer.DigestOf(baseTar), WharfRegistryServer.DigestOf(topTar));
        var digest = await PushImageAsync(reg, "zstd/app", "v1", config, (ZstdLayer, await ZstdAsync(baseTar, reg.Dir)), (GzipLayer, Gzip(topTar)));

        var image = reg.Host + "/zstd/app:v1";
        var pull = await d.DockerAsync("pull", image);
        Assert.True(pull.ExitCode == 0, pull.Stderr + pull.Stdout);
        Assert.Contains("Pull complete", pull.Stdout);
        Assert.Contains("Digest: " + digest, pull.Stdout);

        // The image ID is the config's digest and the diff IDs are those of the uncompressed tars.
        var inspect = JsonNode.Parse((await d.DockerAsync("image", "inspect", image)).Stdout)![0]!;
        Assert.Equal(WharfRegistryServer.DigestOf(config), inspect["Id"]!.GetValue<string>());
        Assert.Equal([WharfRegistryServer.DigestOf(baseTar), WharfRegistryServer.DigestOf(topTar)], inspect["RootFS"]!["Layers"]!.AsArray().Select(l => l!.GetValue<string>()));

        var run = await d.DockerAsync("run", "--rm", image, "cat", "/marker", "/etc/top");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("zstd-basefrom-the-gzip-layer", run.Stdout.Trim());
    }

    [Fact]
    public async Task ABrokenZstdLayerFailsThePullAndLeavesNoImage()
    {
        await using var reg = await WharfRegistryServer.StartAsync();
        await using var d = await WharfDaemon.StartAsync(Config());
        var tar = Tars.Build(("etc/", null), ("etc/data", new string('z', 200_000)));
        var compressed = await ZstdAsync(tar, reg.Dir);

        // The blob's digest is right (the registry has exactly these bytes) but the frame ends early.
        var truncated = compressed[..(compressed.Length - 8)];
        await PushImageAsync(reg, "zstd/broken", "v1", ImageConfig(WharfRegistryServer.DigestOf(tar)), (ZstdLayer, truncated));
        var pull = await d.DockerAsync("pull", reg.Host + "/zstd/broken:v1");
        Assert.True(pull.ExitCode != 0, pull.Stdout);
        Assert.Contains("failed to register layer: zstd: unexpected end of compressed data", pull.Stderr);
        Assert.NotEqual(0, (await d.DockerAsync("image", "inspect", reg.Host + "/zstd/broken:v1")).ExitCode);

        // A well-formed zstd layer that is not the tar the config names fails on its diff ID.
        var other = Tars.Build(("etc/", null), ("etc/data", "something else"));
        await PushImageAsync(reg, "zstd/lying", "v1", ImageConfig(WharfRegistryServer.DigestOf(tar)), (ZstdLayer, await ZstdAsync(other, reg.Dir)));
        var lying = await d.DockerAsync("pull", reg.Host + "/zstd/lying:v1");
        Assert.NotEqual(0, lying.ExitCode);
        Assert.Contains("does not match its diff ID", lying.Stderr + lying.Stdout);
        var images = await d.DockerAsync("images", "-q", "--filter", "reference=" + reg.Host + "/zstd/*");
        Assert.Equal("", images.Stdout.Trim());
    }

    [Fact]
    public async Task DockerLoadTakesAnArchiveWithAZstdLayer()
    {
        await using var d = await WharfDaemon.StartAsync(Config());
        var tar = Tars.Busybox("zstd-loaded");
        var config = ImageConfig(WharfRegistryServer.DigestOf(tar));
        var configName = WharfRegistryServer.DigestOf(config)["sha256:".Length..] + ".json";
        var compressed = await ZstdAsync(tar, d.Dir);
        var repoTag = "zstd/loaded-" + Guid.NewGuid().ToString("N")[..8] + ":v1";
        var manifest = new JsonArray(new JsonObject { ["Config"] = configName, ["RepoTags"] = new JsonArray(repoTag), ["Layers"] = new JsonArray("layer0/layer.tar") });
        var archive = Path.Combine(d.Dir, "zstd-archive.tar");
        await File.WriteAllBytesAsync(archive, Tars.Build(w =>
        {
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest.ToJsonString())) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, configName) { DataStream = new MemoryStream(config) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "layer0/"));
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "layer0/layer.tar") { DataStream = new MemoryStream(compressed) });
        }));

        var load = await d.DockerAsync("load", "-i", archive);
        Assert.True(load.ExitCode == 0, load.Stderr + load.Stdout);
        Assert.Contains("Loaded image: " + repoTag, load.Stdout);
        var run = await d.DockerAsync("run", "--rm", repoTag, "cat", "/marker");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("zstd-loaded", run.Stdout.Trim());
    }
}
