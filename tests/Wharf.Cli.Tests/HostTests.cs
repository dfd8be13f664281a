using Wharf.Client;

namespace Wharf.Cli.Tests;

public sealed class HostTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars) =>
        key => vars.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void FlagWinsOverEnvironment() =>
        Assert.Equal("unix:///flag.sock", DaemonHost.Resolve("unix:///flag.sock", Env(("WHARF_HOST", "unix:///w.sock"), ("DOCKER_HOST", "unix:///d.sock"))).ToString());

    [Fact]
    public void WharfHostWinsOverDockerHost() =>
        Assert.Equal("unix:///w.sock", DaemonHost.Resolve(null, Env(("WHARF_HOST", "unix:///w.sock"), ("DOCKER_HOST", "unix:///d.sock"))).ToString());

    [Fact]
    public void DockerHostIsUsed() =>
        Assert.Equal("unix:///d.sock", DaemonHost.Resolve(null, Env(("DOCKER_HOST", "unix:///d.sock"))).ToString());

    [Fact]
    public void DefaultSocket() => Assert.Equal("unix:///run/wharf/wharf.sock", DaemonHost.Resolve(null, Env()).ToString());

    [Fact]
    public void TcpHostAndPort()
    {
        var h = DaemonHost.Parse("tcp://127.0.0.1:2376");
        Assert.Equal(("tcp", "127.0.0.1", 2376), (h.Scheme, h.Address, h.Port));
        Assert.Equal(2375, DaemonHost.Parse("tcp://localhost").Port);
    }

    [Fact]
    public void RejectsUnknownSchemes() => Assert.Throws<FormatException>(() => DaemonHost.Parse("ssh://x"));

    [Theory]
    [InlineData("1.41", "1.41")]
    [InlineData("1.50", "1.47")]
    [InlineData(null, "1.24")]
    public void NegotiatesDownToServer(string? server, string expected) => Assert.Equal(expected, ApiVersion.Negotiate(server));

    [Fact]
    public void EncodesFilters() =>
        Assert.Equal("{\"dangling\":{\"true\":true},\"label\":{\"a=b\":true,\"c\":true}}",
            WharfClient.EncodeFilters([new("dangling", "true"), new("label", "a=b"), new("label", "c")]));

    [Fact]
    public async Task ReadsProgressMessagesSplitAcrossReads()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("{\"status\":\"a\",\"id\":\"1\"}\r\n{\"stream\":\"Loaded image: x\\n\"}{\"errorDetail\":{\"message\":\"boom\"},\"error\":\"boom\"}");
        var list = new List<JsonMessage>();
        await foreach (var m in JsonMessageReader.ReadMessagesAsync(new MemoryStream(bytes), CancellationToken.None))
        {
            list.Add(m);
        }
        Assert.Equal(3, list.Count);
        Assert.Equal(("a", "1"), (list[0].Status, list[0].Id));
        Assert.Equal("Loaded image: x\n", list[1].Stream);
        Assert.Equal("boom", list[2].Error);
    }
}
