namespace Wharf.Api.Server.Tests;

public sealed class UpgradeWithBodyTests
{
    private const string ExecStart = "POST /v1.47/exec/abc123/start HTTP/1.1\r\nHost: api.moby.localhost\r\nContent-Length: 36\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\n\r\n";

    [Fact]
    public void ExecStartHijackWithABodyGetsItsLengthRenamed()
    {
        var rewritten = UpgradeWithBody.Rewrite(ExecStart);
        Assert.Contains("\r\nX-Wharf-Upgrade-Body-Length: 36\r\n", rewritten, StringComparison.Ordinal);
        Assert.DoesNotContain("Content-Length", rewritten, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", rewritten, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST /v1.47/containers/abc/attach?stream=1 HTTP/1.1\r\nContent-Length: 5\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n")]
    [InlineData("POST /exec/abc/start HTTP/1.1\r\nContent-Length: 15\r\nContent-Type: application/json\r\n\r\n")]
    [InlineData("POST /exec/abc/start HTTP/1.1\r\nContent-Length: 0\r\nConnection: Upgrade\r\n\r\n")]
    [InlineData("POST /exec/abc/start HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: Upgrade\r\n\r\n")]
    [InlineData("GET /exec/abc/json HTTP/1.1\r\nContent-Length: 5\r\nConnection: Upgrade\r\n\r\n")]
    [InlineData("POST /exec/a/b/start HTTP/1.1\r\nContent-Length: 5\r\nConnection: Upgrade\r\n\r\n")]
    public void EverythingElseIsLeftAlone(string head) => Assert.Equal(head, UpgradeWithBody.Rewrite(head));

    [Fact]
    public void UnversionedPathAndConnectionListsAreRecognised()
    {
        var head = "POST /exec/abc/start HTTP/1.1\r\ncontent-length: 2\r\nConnection: keep-alive, Upgrade\r\n\r\n";
        Assert.Contains("X-Wharf-Upgrade-Body-Length: 2", UpgradeWithBody.Rewrite(head), StringComparison.Ordinal);
    }
}
