using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wharf.Registry.Tests;

/// <summary>Broken clients and a registry restarted mid-upload: nothing half-written is served, and the upload resumes.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task UploadResumesAfterARestart()
    {
        var root = Directory.CreateTempSubdirectory("wharf-registry-restart-").FullName;
        var data = new byte[200_000];
        Random.Shared.NextBytes(data);
        var digest = TestRegistry.Sha256(data);
        string path;
        try
        {
            var first = await TestRegistry.StartAsync(root: root);
            try
            {
                using var start = await first.Client.PostAsync("/v2/resume/blobs/uploads/", null);
                path = start.Headers.Location!.ToString();
                using var chunk = await first.Client.PatchAsync(path, new ByteArrayContent(data, 0, 120_000));
                Assert.Equal(HttpStatusCode.Accepted, chunk.StatusCode);
            }
            finally
            {
                // The next server takes over the same storage.
                await first.StopAsync();
            }
            await using var second = await TestRegistry.StartAsync(root: root);
            using (var status = await second.Client.GetAsync(path))
            {
                Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
                Assert.Equal("0-119999", status.Headers.GetValues("Range").Single());
            }
            using (var head = await second.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/resume/blobs/{digest}")))
            {
                Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
            }
            using (var rest = await second.Client.PutAsync(TestRegistry.AddQuery(path, "digest=" + digest), new ByteArrayContent(data, 120_000, 80_000)))
            {
                Assert.Equal(HttpStatusCode.Created, rest.StatusCode);
            }
            Assert.Equal(data, await second.Client.GetByteArrayAsync($"/v2/resume/blobs/{digest}"));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public async Task TruncatedBodyWithALyingContentLengthStoresNothing()
    {
        await using var reg = await TestRegistry.StartAsync();
        var data = Encoding.ASCII.GetBytes(new string('x', 1000));
        var digest = TestRegistry.Sha256(data);
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(reg.BaseAddress.Host, reg.BaseAddress.Port);
            var stream = tcp.GetStream();
            var head = $"POST /v2/truncated/blobs/uploads/?digest={digest} HTTP/1.1\r\nHost: {reg.HostPort}\r\nContent-Length: {data.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(data.AsMemory(0, 400));
            await stream.FlushAsync();
            tcp.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[4096];
            try
            {
                while (await stream.ReadAsync(buffer) > 0)
                {
                }
            }
            catch (IOException)
            {
            }
        }
        // The server notices the broken body; give it a moment to finish with the request.
        for (var i = 0; i < 200 && Directory.EnumerateFileSystemEntries(Path.Combine(reg.Root, "uploads")).Any(); i++)
        {
            await Task.Delay(50);
        }
        using var get = await reg.Client.GetAsync($"/v2/truncated/blobs/{digest}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(reg.Root, "blobs"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(reg.Root, "uploads")));
    }

    [Fact]
    public async Task ConcurrentUploadsOfTheSameBlobBothSucceed()
    {
        await using var reg = await TestRegistry.StartAsync();
        var data = new byte[500_000];
        Random.Shared.NextBytes(data);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => reg.PushBlobAsync($"race/r{i}", data)));
        Assert.All(results, d => Assert.Equal(TestRegistry.Sha256(data), d));
        Assert.Equal(data, await reg.Client.GetByteArrayAsync($"/v2/race/r3/blobs/{results[0]}"));
    }
}
