using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>Docker's status codes and {"message"} bodies for bad input, over the real API.</summary>
public sealed class ApiErrorTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync() => _d = await WharfDaemon.StartAsync();

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private static string Message(string body) => JsonNode.Parse(body)!["message"]!.GetValue<string>();

    [Theory]
    [InlineData("GET", "/v1.99/version", 400, "client version 1.99 is too new. Maximum supported API version is 1.47")]
    [InlineData("GET", "/v1.12/version", 400, "client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version")]
    [InlineData("GET", "/images/nosuchimage/json", 404, "No such image: nosuchimage:latest")]
    [InlineData("DELETE", "/images/nosuchimage", 404, "No such image: nosuchimage:latest")]
    [InlineData("GET", "/images/Busybox/json", 400, "invalid reference format")]
    [InlineData("GET", "/images/json?filters=%7B%22bogus%22%3A%5B%22x%22%5D%7D", 400, "invalid filter 'bogus'")]
    [InlineData("GET", "/images/json?filters=notjson", 400, "invalid filter")]
    [InlineData("GET", "/nosuchroute", 404, "page not found")]
    [InlineData("POST", "/images/nosuchimage/tag?repo=x", 404, "No such image: nosuchimage:latest")]
    public async Task ErrorsAreDockerShaped(string method, string path, int status, string message)
    {
        var (s, body) = await _d.SendAsync(new HttpMethod(method), path);
        Assert.Equal(status, s);
        Assert.Contains(message, Message(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionedPathsWork()
    {
        foreach (var v in new[] { "1.24", "1.41", "1.44", "1.47" })
        {
            var j = await _d.GetJsonAsync($"/v{v}/version");
            Assert.Equal("1.47", j["ApiVersion"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task InvalidTagAndRepoAre400()
    {
        var id = await _d.ImportAsync(Tars.Busybox("t"), "tagme", "latest");
        var (s1, b1) = await _d.SendAsync(HttpMethod.Post, $"/images/{id}/tag?repo=UPPER");
        Assert.Equal(400, s1);
        Assert.Contains("must be lowercase", Message(b1), StringComparison.Ordinal);
        var (s2, b2) = await _d.SendAsync(HttpMethod.Post, $"/images/{id}/tag?repo=ok&tag=bad:tag");
        Assert.Equal(400, s2);
        Assert.Equal("invalid tag format", Message(b2));
        var (s3, _) = await _d.SendAsync(HttpMethod.Post, $"/images/{id}/tag?repo=ok&tag=good");
        Assert.Equal(201, s3);
    }

    [Theory]
    [InlineData("not a tar at all, just text that goes on for a while ................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................................")]
    [InlineData("")]
    public async Task ImportOfNonTarIs400AndLeavesNothing(string body)
    {
        var (s, b) = await _d.SendAsync(HttpMethod.Post, "/images/create?fromSrc=-&repo=bad&tag=x", new StringContent(body));
        Assert.Equal(400, s);
        Assert.False(string.IsNullOrEmpty(Message(b)));
        Assert.Equal("[]", (await _d.GetJsonAsync("/images/json")).ToJsonString());
        Assert.Empty(Directory.GetFiles(Path.Combine(_d.DataRoot, "content", "blobs", "sha256")));
    }

    [Fact]
    public async Task ImportOfTruncatedTarIs400()
    {
        var tar = Tars.Busybox("trunc");
        var (s, b) = await _d.SendAsync(HttpMethod.Post, "/images/create?fromSrc=-&repo=bad&tag=x", new ByteArrayContent(tar[..(tar.Length / 2)]));
        Assert.Equal(400, s);
        Assert.Contains("EOF", Message(b), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("[]", (await _d.GetJsonAsync("/images/json")).ToJsonString());
    }

    [Fact]
    public async Task ImportWithEscapingEntriesIs400AndWritesNothingOutside()
    {
        var outsideName = "wharf-outside-" + Guid.NewGuid().ToString("N");
        foreach (var tar in new[]
        {
            Tars.Build(("../../../../../../tmp/" + outsideName, "x")),
            Tars.Build(("/tmp/" + outsideName, "x")),
            Tars.Build(w =>
            {
                w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.SymbolicLink, "link") { LinkName = "/tmp" });
                w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "link/" + outsideName) { DataStream = new MemoryStream("x"u8.ToArray()) });
            }),
            Tars.Build(w => w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.HardLink, "h") { LinkName = "../../../../etc/passwd" })),
            Tars.Build(w => w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.CharacterDevice, "dev/mem") { DeviceMajor = 1, DeviceMinor = 1 })),
        })
        {
            var (s, b) = await _d.SendAsync(HttpMethod.Post, "/images/create?fromSrc=-&repo=evil&tag=x", new ByteArrayContent(tar));
            Assert.True(s == 400, $"{s} {b}");
            Assert.False(File.Exists("/tmp/" + outsideName));
        }

        Assert.Equal("[]", (await _d.GetJsonAsync("/images/json")).ToJsonString());
    }

    /// <summary>A PAX header claiming an 8 GB extended-attribute block, then nothing: a 400, not a 500 or an allocation.</summary>
    [Theory]
    [InlineData("/images/load?quiet=1")]
    [InlineData("/images/create?fromSrc=-&repo=huge")]
    public async Task HugeHeaderIs400(string path)
    {
        var header = new byte[512];
        void Put(int offset, string text) => System.Text.Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        Put(0, "PaxHeader");
        Put(100, "0000644\0");
        Put(108, "0000000\0");
        Put(116, "0000000\0");
        Put(124, "77777777777\0");
        Put(136, "00000000000\0");
        Put(148, "        ");
        header[156] = (byte)'x';
        Put(257, "ustar\0");
        Put(263, "00");
        Put(148, Convert.ToString(header.Sum(b => b), 8).PadLeft(6, '0') + "\0 ");
        var body = header.Concat(new byte[1024]).ToArray();
        var (s, b) = await _d.SendAsync(HttpMethod.Post, path, new ByteArrayContent(body));
        Assert.True(s == 400, $"{s} {b}");
    }

    [Fact]
    public async Task LoadOfGarbageIs400()
    {
        var (s, b) = await _d.SendAsync(HttpMethod.Post, "/images/load?quiet=1", new ByteArrayContent(new byte[4096].Select((_, i) => (byte)(i * 7)).ToArray()));
        Assert.Equal(400, s);
        Assert.Contains("tar", Message(b), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadWithWrongLayerDigestIs400()
    {
        var layer = Tars.Build(("f", "content"));
        var config = """{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000000"]}}""";
        var archive = Tars.Build(w =>
        {
            w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "layer.tar") { DataStream = new MemoryStream(layer) });
            w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "config.json") { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(config)) });
            w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream("""[{"Config":"config.json","RepoTags":["bad:digest"],"Layers":["layer.tar"]}]"""u8.ToArray()) });
        });
        var (s, b) = await _d.SendAsync(HttpMethod.Post, "/images/load?quiet=1", new ByteArrayContent(archive));
        Assert.Equal(400, s);
        Assert.Contains("digest", Message(b), StringComparison.Ordinal);
        Assert.Equal("[]", (await _d.GetJsonAsync("/images/json")).ToJsonString());
    }
}
