using System.Net;
using System.Text;
using System.Text.Json;

namespace Wharf.Registry.Tests;

public sealed class ManifestTests
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";
    private const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    private const string DockerList = "application/vnd.docker.distribution.manifest.list.v2+json";

    [Theory]
    [InlineData(OciManifest)]
    [InlineData(DockerManifest)]
    public async Task ManifestRoundTripsByteForByteByTagAndDigest(string mediaType)
    {
        await using var reg = await TestRegistry.StartAsync();
        var (digest, bytes) = await reg.PushImageAsync("lib/img", "v1", mediaType: mediaType);
        foreach (var reference in new[] { "v1", digest })
        {
            using var get = await reg.Client.GetAsync($"/v2/lib/img/manifests/{reference}");
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(mediaType, get.Content.Headers.ContentType!.MediaType);
            Assert.Equal(digest, get.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
            using var head = await reg.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/lib/img/manifests/{reference}"));
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(bytes.Length, head.Content.Headers.ContentLength);
        }
    }

    [Fact]
    public async Task PutReturnsLocationAndDigestAndKeepsOddFormatting()
    {
        await using var reg = await TestRegistry.StartAsync();
        var config = await reg.PushBlobAsync("fmt", Encoding.ASCII.GetBytes("{}"));
        // Whitespace and key order a re-serializer would change: the digest must be of these bytes.
        var text = $"{{ \"schemaVersion\" : 2,\n  \"layers\": [],\n \"config\": {{\"size\": 2, \"digest\": \"{config}\", \"mediaType\": \"application/vnd.oci.image.config.v1+json\"}}, \"mediaType\": \"{OciManifest}\" }}\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        using var put = await reg.PutManifestAsync("fmt", "odd", bytes, OciManifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var digest = TestRegistry.Sha256(bytes);
        Assert.Equal($"/v2/fmt/manifests/{digest}", put.Headers.Location!.ToString());
        Assert.Equal(digest, put.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(bytes, await reg.Client.GetByteArrayAsync("/v2/fmt/manifests/odd"));
    }

    [Fact]
    public async Task IndexesAndManifestListsNeedTheirChildren()
    {
        await using var reg = await TestRegistry.StartAsync();
        var (child, childBytes) = await reg.PushImageAsync("multi", "amd64");
        foreach (var (mediaType, tag) in new[] { (OciIndex, "oci"), (DockerList, "docker") })
        {
            var index = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
            {
                schemaVersion = 2,
                mediaType,
                manifests = new[] { new { mediaType = OciManifest, size = childBytes.Length, digest = child, platform = new { architecture = "amd64", os = "linux" } } },
            }));
            using var put = await reg.PutManifestAsync("multi", tag, index, mediaType);
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            using var get = await reg.Client.GetAsync($"/v2/multi/manifests/{tag}");
            Assert.Equal(mediaType, get.Content.Headers.ContentType!.MediaType);
            Assert.Equal(index, await get.Content.ReadAsByteArrayAsync());
        }
        var orphan = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = OciIndex,
            manifests = new[] { new { mediaType = OciManifest, size = 10, digest = TestRegistry.Sha256([1, 2, 3]) } },
        }));
        using var bad = await reg.PutManifestAsync("multi", "orphan", orphan, OciIndex);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(bad));
    }

    [Fact]
    public async Task ManifestNamingMissingBlobsIsRefusedAndNothingStored()
    {
        await using var reg = await TestRegistry.StartAsync();
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = OciManifest,
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", size = 2, digest = TestRegistry.Sha256("{}"u8.ToArray()) },
            layers = Array.Empty<object>(),
        }));
        using var put = await reg.PutManifestAsync("missing", "t", manifest, OciManifest);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(put));
        using var get = await reg.Client.GetAsync("/v2/missing/manifests/t");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"schemaVersion\":1}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"digest\":\"sha256:x\",\"size\":1}}")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"config\":{}}")]
    public async Task MalformedManifestsAreInvalid(string body)
    {
        await using var reg = await TestRegistry.StartAsync();
        using var put = await reg.PutManifestAsync("bad", "t", Encoding.UTF8.GetBytes(body), OciManifest);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MANIFEST_INVALID", await TestRegistry.ErrorCodeAsync(put));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(reg.Root, "blobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task OversizedManifestIs413()
    {
        await using var reg = await TestRegistry.StartAsync(c => c.MaxManifestBytes = 1024);
        var big = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"annotations\":{\"x\":\"" + new string('a', 2000) + "\"}}");
        using var put = await reg.PutManifestAsync("big", "t", big, OciManifest);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, put.StatusCode);
        Assert.Equal("SIZE_INVALID", await TestRegistry.ErrorCodeAsync(put));
    }

    [Fact]
    public async Task PutByDigestChecksTheDigestAndAcceptsSha512()
    {
        await using var reg = await TestRegistry.StartAsync();
        var (_, bytes) = await reg.PushImageAsync("bydigest", "seed");
        using var wrong = await reg.PutManifestAsync("bydigest", TestRegistry.Sha256([9]), bytes, OciManifest);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(wrong));

        var sha512 = TestRegistry.Sha512(bytes);
        using var put = await reg.PutManifestAsync("bydigest", sha512, bytes, OciManifest);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(sha512, put.Headers.GetValues("Docker-Content-Digest").Single());
        using var get = await reg.Client.GetAsync($"/v2/bydigest/manifests/{sha512}");
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task DeleteByTagAndByDigest()
    {
        await using var reg = await TestRegistry.StartAsync();
        var (digest, _) = await reg.PushImageAsync("delm", "one");
        using (var tagDel = await reg.Client.DeleteAsync("/v2/delm/manifests/one"))
        {
            Assert.Equal(HttpStatusCode.Accepted, tagDel.StatusCode);
        }
        using (var gone = await reg.Client.GetAsync("/v2/delm/manifests/one"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Equal("MANIFEST_UNKNOWN", await TestRegistry.ErrorCodeAsync(gone));
        }
        using (var stillThere = await reg.Client.GetAsync($"/v2/delm/manifests/{digest}"))
        {
            Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        }
        await reg.PushImageAsync("delm", "two");
        using (var del = await reg.Client.DeleteAsync($"/v2/delm/manifests/{digest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, del.StatusCode);
        }
        using (var tagGone = await reg.Client.GetAsync("/v2/delm/manifests/two"))
        {
            Assert.Equal(HttpStatusCode.NotFound, tagGone.StatusCode);
        }
        using var unknownRepo = await reg.Client.GetAsync("/v2/never/pushed/manifests/latest");
        Assert.Equal("NAME_UNKNOWN", await TestRegistry.ErrorCodeAsync(unknownRepo));
    }

    [Fact]
    public async Task InvalidTagIsRefused()
    {
        await using var reg = await TestRegistry.StartAsync();
        using var put = await reg.PutManifestAsync("tags", "-bad", "{}"u8.ToArray(), OciManifest);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("TAG_INVALID", await TestRegistry.ErrorCodeAsync(put));
    }

    [Fact]
    public async Task ReferrersListManifestsWithASubject()
    {
        await using var reg = await TestRegistry.StartAsync();
        var (subject, subjectBytes) = await reg.PushImageAsync("signed", "v1");
        var empty = await reg.PushBlobAsync("signed", "{}"u8.ToArray());
        var sig = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = OciManifest,
            artifactType = "application/vnd.example.signature",
            config = new { mediaType = "application/vnd.oci.empty.v1+json", size = 2, digest = empty },
            layers = new[] { new { mediaType = "application/vnd.oci.empty.v1+json", size = 2, digest = empty } },
            subject = new { mediaType = OciManifest, size = subjectBytes.Length, digest = subject },
            annotations = new Dictionary<string, string> { ["org.example.kind"] = "sig" },
        }));
        var sigDigest = TestRegistry.Sha256(sig);
        using (var put = await reg.PutManifestAsync("signed", sigDigest, sig, OciManifest))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            Assert.Equal(subject, put.Headers.GetValues("OCI-Subject").Single());
        }
        using (var list = await reg.Client.GetAsync($"/v2/signed/referrers/{subject}"))
        {
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Equal(OciIndex, list.Content.Headers.ContentType!.MediaType);
            using var doc = JsonDocument.Parse(await list.Content.ReadAsStringAsync());
            var m = Assert.Single(doc.RootElement.GetProperty("manifests").EnumerateArray());
            Assert.Equal(sigDigest, m.GetProperty("digest").GetString());
            Assert.Equal("application/vnd.example.signature", m.GetProperty("artifactType").GetString());
            Assert.Equal(sig.Length, m.GetProperty("size").GetInt64());
            Assert.Equal("sig", m.GetProperty("annotations").GetProperty("org.example.kind").GetString());
        }
        using (var filtered = await reg.Client.GetAsync($"/v2/signed/referrers/{subject}?artifactType=application/other"))
        {
            Assert.Equal("artifactType", filtered.Headers.GetValues("OCI-Filters-Applied").Single());
            using var doc = JsonDocument.Parse(await filtered.Content.ReadAsStringAsync());
            Assert.Empty(doc.RootElement.GetProperty("manifests").EnumerateArray());
        }
        using (var del = await reg.Client.DeleteAsync($"/v2/signed/manifests/{sigDigest}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, del.StatusCode);
        }
        using (var after = await reg.Client.GetAsync($"/v2/signed/referrers/{subject}"))
        {
            using var doc = JsonDocument.Parse(await after.Content.ReadAsStringAsync());
            Assert.Empty(doc.RootElement.GetProperty("manifests").EnumerateArray());
        }
        using var invalid = await reg.Client.GetAsync("/v2/signed/referrers/sha256:zz");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }
}
