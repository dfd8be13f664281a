using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Wharf.Core.Errors;

namespace Wharf.Api.Server.Containers;

/// <summary>
/// Docker's connection hijack for attach and exec start: clients ask for
/// <c>Connection: Upgrade, Upgrade: tcp</c> and get <c>101</c> plus the raw connection; older
/// clients that do not ask get a <c>200</c> whose body is the output stream (no stdin then).
/// </summary>
internal static class Hijack
{
    public const string RawStream = "application/vnd.docker.raw-stream";
    public const string MultiplexedStream = "application/vnd.docker.multiplexed-stream";

    public static async Task<(Stream Output, Stream? Input, Task HalfClosed)> AcceptAsync(HttpContext context, bool tty)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        context.Response.ContentType = tty ? RawStream : MultiplexedStream;
        if (upgrade is { IsUpgradableRequest: true })
        {
            context.Response.Headers.Connection = "Upgrade";
            context.Response.Headers.Upgrade = "tcp";
            // Mark first: the client may half-close as soon as it reads the 101, before
            // UpgradeAsync returns here; that FIN must not end the connection.
            var guard = context.Features.Get<HalfCloseGuard>();
            guard?.MarkUpgraded();
            var stream = await upgrade.UpgradeAsync().ConfigureAwait(false);
            return (stream, stream, guard?.HalfClosed ?? Task.Delay(Timeout.Infinite, CancellationToken.None));
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        return (context.Response.Body, null, Task.Delay(Timeout.Infinite, CancellationToken.None));
    }

    /// <summary>
    /// dockerd answers a failed attach on the raw connection: the status line, the raw-stream
    /// content type and the bare message (not JSON), whether or not the client asked to upgrade.
    /// </summary>
    public static async Task WriteErrorAsync(HttpContext context, WharfException error)
    {
        context.Response.StatusCode = ErrorMap.StatusOf(error.Kind);
        context.Response.ContentType = RawStream;
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(error.Message + "\r\n"), context.RequestAborted).ConfigureAwait(false);
    }
}
