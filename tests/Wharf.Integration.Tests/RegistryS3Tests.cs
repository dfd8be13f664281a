using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Wharf.TestSupport;

namespace Wharf.Integration.Tests;

/// <summary>
/// <c>wharf registry serve --storage s3</c> over a real S3 API (a private moto_server), driven
/// through a real wharfd with the docker CLI and by hand: push and pull, byte-for-byte round
/// trips, tag lists, HEAD and Range GETs, and an upload cut by a killed registry that is never
/// served half-written and resumes on a restarted one.
/// </summary>
public sealed class RegistryS3Tests
{
    private static async Task<(MotoServer Moto, string Bucket)> StartMotoAsync()
    {
        var moto = await MotoServer.StartAsync();
        return (moto, await moto.CreateBucketAsync());
    }

    private static Task<WharfRegistryServer> StartRegistryAsync(MotoServer moto, string bucket, string prefix) =>
        WharfRegistryServer.StartAsync(
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = MotoServer.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = MotoServer.SecretKey },
            "--storage", "s3", "--s3-endpoint", moto.Endpoint.ToString().TrimEnd('/'), "--s3-bucket", bucket,
            "--s3-region", "us-east-1", "--s3-prefix", prefix, "--s3-path-style");

    [Fact]
    public async Task DockerPushesAndPullsThroughAnS3BackedRegistry()
    {
        var (moto, bucket) = await StartMotoAsync();
        await using var _ = moto;
        await using var reg = await StartRegistryAsync(moto, bucket, "it/" + Guid.NewGuid().ToString("N")[..8]);
        await using var d = await WharfDaemon.StartAsync("{\"cgroup-parent\":\"wharf-it-s3-" + Guid.NewGuid().ToString("N")[..8] + "\"}");
        var repo = reg.Host + "/s3/app";
        var id = await d.ImportAsync(Tars.Busybox("s3-pushed"), repo, "v1", "CMD [\"sh\"]");
        var push = await d.DockerAsync("push", repo + ":v1");
        Assert.True(push.ExitCode == 0, push.Stderr + push.Stdout);
        var pushedDigest = push.Stdout.Split(' ').Single(w => w.StartsWith("sha256:", StringComparison.Ordinal));

        Assert.Equal("{\"name\":\"s3/app\",\"tags\":[\"v1\"]}", await reg.Http.GetStringAsync("/v2/s3/app/tags/list"));
        Assert.Contains("\"s3/app\"", await reg.Http.GetStringAsync("/v2/_catalog"), StringComparison.Ordinal);
        using var get = new HttpRequestMessage(HttpMethod.Get, "/v2/s3/app/manifests/v1");
        get.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        get.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var manifest = await reg.Http.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, manifest.StatusCode);
        var manifestBytes = await manifest.Content.ReadAsByteArrayAsync();
        Assert.Equal(pushedDigest, WharfRegistryServer.DigestOf(manifestBytes));
        Assert.Equal(pushedDigest, manifest.Headers.GetValues("Docker-Content-Digest").Single());

        // Every layer the manifest names comes back under its digest, byte for byte.
        foreach (var layer in JsonNode.Parse(manifestBytes)!["layers"]!.AsArray())
        {
            var digest = layer!["digest"]!.GetValue<string>();
            var bytes = await reg.Http.GetByteArrayAsync($"/v2/s3/app/blobs/{digest}");
            Assert.Equal(digest, WharfRegistryServer.DigestOf(bytes));
            Assert.Equal(layer["size"]!.GetValue<long>(), bytes.Length);
        }

        Assert.Equal(0, (await d.DockerAsync("rmi", "-f", id)).ExitCode);
        var pull = await d.DockerAsync("pull", repo + ":v1");
        Assert.True(pull.ExitCode == 0, pull.Stderr + pull.Stdout);
        Assert.Contains("Digest: " + pushedDigest, pull.Stdout, StringComparison.Ordinal);
        var inspect = JsonNode.Parse((await d.DockerAsync("image", "inspect", repo + ":v1")).Stdout)![0]!;
        Assert.Equal(id, inspect["Id"]!.GetValue<string>());
        var run = await d.DockerAsync("run", "--rm", "--network", "none", repo + ":v1", "echo", "from-s3");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("from-s3", run.Stdout.Trim());
    }

    [Fact]
    public async Task BlobsRoundTripAndAKilledUploadIsNeverServedButResumes()
    {
        var (moto, bucket) = await StartMotoAsync();
        await using var _ = moto;
        var prefix = "it/" + Guid.NewGuid().ToString("N")[..8];
        var data = new byte[(20 * 1024 * 1024) + 333]; // spans parts of the default 8 MiB
        Random.Shared.NextBytes(data);
        var digest = WharfRegistryServer.DigestOf(data);

        await using (var reg = await StartRegistryAsync(moto, bucket, prefix))
        {
            var small = Encoding.UTF8.GetBytes("a small blob, stored with one PUT");
            var smallDigest = await reg.PutBlobAsync("s3/blobs", small);
            Assert.Equal(small, await reg.Http.GetByteArrayAsync($"/v2/s3/blobs/blobs/{smallDigest}"));
            using (var head = await reg.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/s3/blobs/blobs/{smallDigest}")))
            {
                Assert.Equal(HttpStatusCode.OK, head.StatusCode);
                Assert.Equal(small.Length, head.Content.Headers.ContentLength);
                Assert.Equal(smallDigest, head.Headers.GetValues("Docker-Content-Digest").Single());
            }

            // A large upload cut off: the registry dies (SIGKILL) with part of the body received.
            using var start = await reg.Http.PostAsync("/v2/s3/blobs/blobs/uploads/", null);
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var location = start.Headers.Location!.OriginalString;
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, reg.Port);
            var net = tcp.GetStream();
            await net.WriteAsync(Encoding.ASCII.GetBytes(
                $"PATCH {location} HTTP/1.1\r\nHost: {reg.Host}\r\nContent-Type: application/octet-stream\r\nContent-Length: {data.Length}\r\n\r\n"));
            await net.WriteAsync(data.AsMemory(0, 10 * 1024 * 1024));
            await net.FlushAsync();
            // Wait until the first full part is recorded in the session, then kill mid-body.
            var stored = 0L;
            for (var i = 0; i < 200 && stored == 0; i++)
            {
                using var status = await reg.Http.GetAsync(location);
                Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
                var range = status.Headers.GetValues("Range").Single();
                stored = range == "0-0" ? 0 : long.Parse(range[2..], System.Globalization.CultureInfo.InvariantCulture) + 1;
                if (stored == 0)
                {
                    await Task.Delay(50);
                }
            }
            Assert.Equal(8 * 1024 * 1024, stored);
            await reg.KillAsync();
        }

        await using (var reg = await StartRegistryAsync(moto, bucket, prefix))
        {
            // Nothing of it is served: not under its digest, not as a blob of any size.
            using (var head = await reg.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/s3/blobs/blobs/{digest}")))
            {
                Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
            }
            var keys = await moto.KeysAsync(bucket, prefix + "/blobs/");
            Assert.Single(keys); // the small blob only

            // The session survived the crash with what was durably recorded; the client resumes from there.
            var sessions = await moto.KeysAsync(bucket, prefix + "/uploads/");
            var id = sessions.Select(k => k.Split('/')[^2]).Distinct().Single();
            var location = $"/v2/s3/blobs/blobs/uploads/{id}";
            using (var status = await reg.Http.GetAsync(location))
            {
                Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
                Assert.Equal($"0-{(8 * 1024 * 1024) - 1}", status.Headers.GetValues("Range").Single());
            }
            using (var chunk = new ByteArrayContent(data, 8 * 1024 * 1024, data.Length - (8 * 1024 * 1024)))
            {
                chunk.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                chunk.Headers.TryAddWithoutValidation("Content-Range", $"{8 * 1024 * 1024}-{data.Length - 1}");
                using var patch = await reg.Http.PatchAsync(location, chunk);
                Assert.True(patch.StatusCode == HttpStatusCode.Accepted, await patch.Content.ReadAsStringAsync());
            }
            using (var put = await reg.Http.PutAsync(location + "?digest=" + digest, null))
            {
                Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
            }
            Assert.Equal(data, await reg.Http.GetByteArrayAsync($"/v2/s3/blobs/blobs/{digest}"));
            using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/v2/s3/blobs/blobs/{digest}");
            ranged.Headers.Range = new RangeHeaderValue(9_000_000, 9_000_099);
            using var part = await reg.Http.SendAsync(ranged);
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal($"bytes 9000000-9000099/{data.Length}", part.Content.Headers.ContentRange!.ToString());
            Assert.Equal(data.AsSpan(9_000_000, 100).ToArray(), await part.Content.ReadAsByteArrayAsync());
            Assert.Empty(await moto.KeysAsync(bucket, prefix + "/uploads/"));

            // No manifest references either blob: `wharf registry gc` on the same bucket removes both.
            var gc = await ProcessRunner.RunAsync(Repo.Wharf,
                ["registry", "gc", "--grace", "0s", "--storage", "s3", "--s3-endpoint", moto.Endpoint.ToString(), "--s3-bucket", bucket, "--s3-prefix", prefix],
                new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = MotoServer.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = MotoServer.SecretKey });
            Assert.True(gc.ExitCode == 0, gc.Stderr);
            Assert.StartsWith("0 blobs referenced, 2 blobs removed", gc.Stdout, StringComparison.Ordinal);
            using var gone = await reg.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/s3/blobs/blobs/{digest}"));
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Empty(await moto.KeysAsync(bucket, prefix + "/blobs/"));
        }
    }

    [Fact]
    public async Task BadS3SettingsAreRefusedAtStart()
    {
        var r = await ProcessRunner.RunAsync(Repo.Wharf, ["registry", "serve", "--addr", "127.0.0.1:0", "--storage", "s3", "--s3-endpoint", "http://127.0.0.1:9"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--storage s3 needs a bucket", r.Stderr, StringComparison.Ordinal);
        var noCreds = await ProcessRunner.RunAsync(Repo.Wharf, ["registry", "serve", "--addr", "127.0.0.1:0", "--storage", "s3", "--s3-bucket", "b-1"],
            new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "", ["AWS_SECRET_ACCESS_KEY"] = "" });
        Assert.NotEqual(0, noCreds.ExitCode);
        Assert.Contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", noCreds.Stderr, StringComparison.Ordinal);
    }
}
