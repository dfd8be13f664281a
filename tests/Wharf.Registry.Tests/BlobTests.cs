using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Wharf.Registry.Tests;

public sealed class BlobTests
{
    [Fact]
    public async Task BaseEndpointAnswersWithApiVersionHeader()
    {
        await using var reg = await TestRegistry.StartAsync();
        using var r = await reg.Client.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("registry/2.0", r.Headers.GetValues("Docker-Distribution-API-Version").Single());
        Assert.Equal("{}", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MonolithicPostUploadThenHeadGetAndRange()
    {
        await using var reg = await TestRegistry.StartAsync();
        var data = Encoding.ASCII.GetBytes("hello, registry");
        var digest = TestRegistry.Sha256(data);
        using (var post = await reg.Client.PostAsync($"/v2/a/b/blobs/uploads/?digest={digest}", new ByteArrayContent(data)))
        {
            Assert.Equal(HttpStatusCode.Created, post.StatusCode);
            Assert.Equal($"/v2/a/b/blobs/{digest}", post.Headers.Location!.ToString());
            Assert.Equal(digest, post.Headers.GetValues("Docker-Content-Digest").Single());
        }
        using (var head = await reg.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/a/b/blobs/{digest}")))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(data.Length, head.Content.Headers.ContentLength);
            Assert.Equal(digest, head.Headers.GetValues("Docker-Content-Digest").Single());
        }
        Assert.Equal(data, await reg.Client.GetByteArrayAsync($"/v2/a/b/blobs/{digest}"));

        var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v2/a/b/blobs/{digest}");
        ranged.Headers.Range = new RangeHeaderValue(7, 14);
        using (var part = await reg.Client.SendAsync(ranged))
        {
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal("registry", await part.Content.ReadAsStringAsync());
            Assert.Equal($"bytes 7-14/{data.Length}", part.Content.Headers.ContentRange!.ToString());
        }
        var suffix = new HttpRequestMessage(HttpMethod.Get, $"/v2/a/b/blobs/{digest}");
        suffix.Headers.Range = new RangeHeaderValue(null, 3);
        using (var tail = await reg.Client.SendAsync(suffix))
        {
            Assert.Equal("try", await tail.Content.ReadAsStringAsync());
        }
        var beyond = new HttpRequestMessage(HttpMethod.Get, $"/v2/a/b/blobs/{digest}");
        beyond.Headers.Range = new RangeHeaderValue(100, 200);
        using (var bad = await reg.Client.SendAsync(beyond))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, bad.StatusCode);
        }
        // Another repository has no link to the blob.
        using var other = await reg.Client.GetAsync($"/v2/other/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(other));
    }

    [Fact]
    public async Task ChunkedUploadReportsRangeAndRefusesOutOfOrderChunks()
    {
        await using var reg = await TestRegistry.StartAsync();
        var data = new byte[300_000];
        Random.Shared.NextBytes(data);
        using var start = await reg.Client.PostAsync("/v2/chunky/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal("0-0", start.Headers.GetValues("Range").Single());
        var location = start.Headers.Location!.ToString();
        Assert.StartsWith("/v2/chunky/blobs/uploads/", location, StringComparison.Ordinal);

        using (var first = await Patch(reg, location, data, 0, 100_000))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal("0-99999", first.Headers.GetValues("Range").Single());
            location = first.Headers.Location!.ToString();
        }
        // A chunk that skips ahead is refused with 416 and changes nothing.
        using (var gap = await Patch(reg, location, data, 200_000, 100_000))
        {
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, gap.StatusCode);
            Assert.Equal("BLOB_UPLOAD_INVALID", await TestRegistry.ErrorCodeAsync(gap));
        }
        using (var status = await reg.Client.GetAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal("0-99999", status.Headers.GetValues("Range").Single());
        }
        using (var second = await Patch(reg, location, data, 100_000, 100_000))
        {
            Assert.Equal("0-199999", second.Headers.GetValues("Range").Single());
        }
        // The last chunk travels with the closing PUT.
        var digest = TestRegistry.Sha256(data);
        var put = new HttpRequestMessage(HttpMethod.Put, TestRegistry.AddQuery(location, "digest=" + digest))
        {
            Content = new ByteArrayContent(data, 200_000, 100_000),
        };
        put.Content.Headers.TryAddWithoutValidation("Content-Range", "200000-299999");
        using (var done = await reg.Client.SendAsync(put))
        {
            Assert.Equal(HttpStatusCode.Created, done.StatusCode);
        }
        Assert.Equal(data, await reg.Client.GetByteArrayAsync($"/v2/chunky/blobs/{digest}"));
        using var gone = await reg.Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await TestRegistry.ErrorCodeAsync(gone));
    }

    private static Task<HttpResponseMessage> Patch(TestRegistry reg, string location, byte[] data, int offset, int count)
    {
        var req = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new ByteArrayContent(data, offset, count) };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        req.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + count - 1}");
        return reg.Client.SendAsync(req);
    }

    [Fact]
    public async Task StreamedUploadWithoutContentRangeAppends()
    {
        await using var reg = await TestRegistry.StartAsync();
        using var start = await reg.Client.PostAsync("/v2/stream/blobs/uploads/", null);
        var location = start.Headers.Location!.ToString();
        using (var a = await reg.Client.PatchAsync(location, new StringContent("abc")))
        {
            Assert.Equal(HttpStatusCode.Accepted, a.StatusCode);
        }
        using (var b = await reg.Client.PatchAsync(location, new StringContent("def")))
        {
            Assert.Equal("0-5", b.Headers.GetValues("Range").Single());
        }
        var digest = TestRegistry.Sha256(Encoding.ASCII.GetBytes("abcdef"));
        using var put = await reg.Client.PutAsync(TestRegistry.AddQuery(location, "digest=" + digest), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("abcdef", await reg.Client.GetStringAsync($"/v2/stream/blobs/{digest}"));
    }

    [Fact]
    public async Task WrongDigestStoresNothingAndEndsTheSession()
    {
        await using var reg = await TestRegistry.StartAsync();
        var data = Encoding.ASCII.GetBytes("the real content");
        var lie = TestRegistry.Sha256(Encoding.ASCII.GetBytes("something else"));
        using var start = await reg.Client.PostAsync("/v2/liar/blobs/uploads/", null);
        var location = start.Headers.Location!.ToString();
        using var put = await reg.Client.PutAsync(TestRegistry.AddQuery(location, "digest=" + lie), new ByteArrayContent(data));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(put));
        Assert.False(put.Headers.Contains("Location"));
        using var head = await reg.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/liar/blobs/{lie}"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(reg.Root, "blobs"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(reg.Root, "uploads")));

        using var bad = await reg.Client.PostAsync("/v2/liar/blobs/uploads/?digest=sha256:nothex", new ByteArrayContent(data));
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(bad));
        using var md5 = await reg.Client.GetAsync("/v2/liar/blobs/md5:d41d8cd98f00b204e9800998ecf8427e");
        Assert.Equal(HttpStatusCode.BadRequest, md5.StatusCode);
    }

    [Fact]
    public async Task Sha512BlobsAreAccepted()
    {
        await using var reg = await TestRegistry.StartAsync();
        var data = Encoding.ASCII.GetBytes("sha512 content");
        var digest = TestRegistry.Sha512(data);
        using var post = await reg.Client.PostAsync($"/v2/five12/blobs/uploads/?digest={digest}", new ByteArrayContent(data));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        Assert.Equal(data, await reg.Client.GetByteArrayAsync($"/v2/five12/blobs/{digest}"));
    }

    [Fact]
    public async Task CancelledUploadIsGone()
    {
        await using var reg = await TestRegistry.StartAsync();
        using var start = await reg.Client.PostAsync("/v2/cancel/blobs/uploads/", null);
        var location = start.Headers.Location!.ToString();
        using var del = await reg.Client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, del.StatusCode);
        using var again = await reg.Client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        // A session is bound to its repository.
        using var start2 = await reg.Client.PostAsync("/v2/cancel/blobs/uploads/", null);
        var other = start2.Headers.Location!.ToString().Replace("/v2/cancel/", "/v2/elsewhere/", StringComparison.Ordinal);
        using var status = await reg.Client.GetAsync(other);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await TestRegistry.ErrorCodeAsync(status));
    }

    [Fact]
    public async Task CrossRepositoryMountLinksWithoutUpload()
    {
        await using var reg = await TestRegistry.StartAsync();
        var digest = await reg.PushBlobAsync("source/repo", Encoding.ASCII.GetBytes("shared layer"));
        using var mount = await reg.Client.PostAsync($"/v2/target/blobs/uploads/?mount={digest}&from=source/repo", null);
        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal($"/v2/target/blobs/{digest}", mount.Headers.Location!.ToString());
        Assert.Equal("shared layer", await reg.Client.GetStringAsync($"/v2/target/blobs/{digest}"));

        // Not in the source: the fallback is an upload session.
        var missing = TestRegistry.Sha256(Encoding.ASCII.GetBytes("nowhere"));
        using var fallback = await reg.Client.PostAsync($"/v2/target/blobs/uploads/?mount={missing}&from=source/repo", null);
        Assert.Equal(HttpStatusCode.Accepted, fallback.StatusCode);
        Assert.Contains("/blobs/uploads/", fallback.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteBlobRemovesItFromTheRepository()
    {
        await using var reg = await TestRegistry.StartAsync();
        var digest = await reg.PushBlobAsync("del", Encoding.ASCII.GetBytes("to delete"));
        using var del = await reg.Client.DeleteAsync($"/v2/del/blobs/{digest}");
        Assert.Equal(HttpStatusCode.Accepted, del.StatusCode);
        using var get = await reg.Client.GetAsync($"/v2/del/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var again = await reg.Client.DeleteAsync($"/v2/del/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Theory]
    [InlineData("/v2/UPPER/blobs/uploads/")]
    [InlineData("/v2/a//b/blobs/uploads/")]
    [InlineData("/v2/_hidden/blobs/uploads/")]
    [InlineData("/v2/a/%2e%2e/blobs/uploads/")]
    [InlineData("/v2/a%2F..%2Fb/blobs/uploads/")]
    [InlineData("/v2/trailing-/blobs/uploads/")]
    public async Task PathTricksInNamesAreRefused(string path)
    {
        await using var reg = await TestRegistry.StartAsync();
        using var r = await reg.Client.PostAsync(path, null);
        Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {r.StatusCode}");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(reg.Root, "uploads")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(reg.Root, "repositories")));
        Assert.Equal(["blobs", "repositories", "tmp", "uploads"], Directory.EnumerateFileSystemEntries(reg.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task TooLongNameIsInvalid()
    {
        await using var reg = await TestRegistry.StartAsync();
        using var r = await reg.Client.PostAsync($"/v2/{new string('a', 256)}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("NAME_INVALID", await TestRegistry.ErrorCodeAsync(r));
    }
}
