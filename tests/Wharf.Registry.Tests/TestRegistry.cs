using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Wharf.Registry.Config;

namespace Wharf.Registry.Tests;

/// <summary>A registry on 127.0.0.1 with an ephemeral port and its own temp root, removed on dispose.</summary>
internal sealed class TestRegistry : IAsyncDisposable
{
    private readonly RegistryServer _server;

    private TestRegistry(RegistryServer server, string root, HttpClient client)
    {
        _server = server;
        Root = root;
        Client = client;
    }

    public string Root { get; }

    public HttpClient Client { get; }

    public Uri BaseAddress => _server.Addresses[0];

    /// <summary>host:port, as image references and skopeo name the registry.</summary>
    public string HostPort => BaseAddress.Authority;

    public static async Task<TestRegistry> StartAsync(Action<RegistryConfig>? configure = null, string? root = null)
    {
        root ??= Directory.CreateTempSubdirectory("wharf-registry-test-").FullName;
        var config = new RegistryConfig { Addr = "127.0.0.1:0", Root = root };
        configure?.Invoke(config);
        var server = await RegistryServer.StartAsync(config, CancellationToken.None);
        var handler = new HttpClientHandler { AllowAutoRedirect = false };
        if (config.TlsCert is not null)
        {
            handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
        }
        var client = new HttpClient(handler) { BaseAddress = server.Addresses[0] };
        return new TestRegistry(server, root, client);
    }

    private bool _stopped;

    /// <summary>Stops the server but keeps its root, for a restart on the same storage.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        Client.Dispose();
        await _server.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    public static string Sha256(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Sha512(byte[] data) => "sha512:" + Convert.ToHexStringLower(SHA512.HashData(data));

    /// <summary>Pushes a blob monolithically (POST then PUT) and returns its digest.</summary>
    public async Task<string> PushBlobAsync(string repo, byte[] data)
    {
        var digest = Sha256(data);
        using var start = await Client.PostAsync($"/v2/{repo}/blobs/uploads/", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!.ToString();
        using var put = await Client.PutAsync(AddQuery(location, "digest=" + digest), new ByteArrayContent(data));
        Assert.Equal(System.Net.HttpStatusCode.Created, put.StatusCode);
        return digest;
    }

    /// <summary>Pushes a config and one layer and an OCI manifest naming them under <paramref name="reference"/>.</summary>
    public async Task<(string Digest, byte[] Bytes)> PushImageAsync(string repo, string reference, string layerText = "layer", string mediaType = "application/vnd.oci.image.manifest.v1+json")
    {
        var config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        var layer = Encoding.UTF8.GetBytes(layerText);
        var configDigest = await PushBlobAsync(repo, config);
        var layerDigest = await PushBlobAsync(repo, layer);
        var docker = mediaType.Contains("docker", StringComparison.Ordinal);
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType,
            config = new { mediaType = docker ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json", size = config.Length, digest = configDigest },
            layers = new[] { new { mediaType = docker ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : "application/vnd.oci.image.layer.v1.tar", size = layer.Length, digest = layerDigest } },
        }));
        using var put = await PutManifestAsync(repo, reference, manifest, mediaType);
        Assert.Equal(System.Net.HttpStatusCode.Created, put.StatusCode);
        return (Sha256(manifest), manifest);
    }

    public Task<HttpResponseMessage> PutManifestAsync(string repo, string reference, byte[] manifest, string mediaType)
    {
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return Client.PutAsync($"/v2/{repo}/manifests/{reference}", content);
    }

    public static string AddQuery(string location, string query) =>
        location + (location.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;

    /// <summary>The first error code of a spec error body.</summary>
    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
    }
}
