using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Wharf.Api.Server.Containers;

namespace Wharf.Api.Server.Tests;

public sealed class HijackTests
{
    /// <summary>
    /// A Docker client half-closes as soon as it reads the 101. If the guard learned about the
    /// upgrade only after UpgradeAsync returned, a fast FIN ended the connection and the
    /// container's output was lost.
    /// </summary>
    [Fact]
    public async Task TheConnectionIsMarkedUpgradedBeforeThe101IsSent()
    {
        var transport = new Pipe();
        var guard = new HalfCloseGuard(new DuplexPipe(transport.Reader, transport.Writer));
        var upgrade = new RecordingUpgrade(guard);
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpUpgradeFeature>(upgrade);
        context.Features.Set(guard);

        var (output, input, _) = await Hijack.AcceptAsync(context, tty: false);

        Assert.True(upgrade.UpgradedWhenCalled);
        Assert.Same(upgrade.Stream, output);
        Assert.Same(upgrade.Stream, input);
        Assert.Equal(Hijack.MultiplexedStream, context.Response.ContentType);
        Assert.Equal("tcp", context.Response.Headers.Upgrade.ToString());
    }

    [Fact]
    public async Task AClientThatDoesNotAskForAnUpgradeGetsA200Stream()
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpUpgradeFeature>(new RecordingUpgrade(null) { Upgradable = false });
        var (output, input, _) = await Hijack.AcceptAsync(context, tty: true);
        Assert.Null(input);
        Assert.Same(context.Response.Body, output);
        Assert.Equal(Hijack.RawStream, context.Response.ContentType);
        Assert.Equal(200, context.Response.StatusCode);
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    private sealed class RecordingUpgrade(HalfCloseGuard? guard) : IHttpUpgradeFeature
    {
        public bool Upgradable { get; init; } = true;

        public bool IsUpgradableRequest => Upgradable;

        public bool UpgradedWhenCalled { get; private set; }

        public Stream Stream { get; } = new MemoryStream();

        public Task<Stream> UpgradeAsync()
        {
            UpgradedWhenCalled = guard?.Upgraded ?? false;
            return Task.FromResult(Stream);
        }
    }
}
