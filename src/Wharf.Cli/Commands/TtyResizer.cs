using System.Globalization;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>
/// Keeps a container's tty the size of the local terminal, as the docker CLI's MonitorTtySize:
/// one resize right away (retried a few times while the container is still starting), then one
/// per SIGWINCH until disposed.
/// </summary>
internal sealed class TtyResizer : IDisposable
{
    private readonly CommandContext _context;
    private readonly string _id;
    private readonly IDisposable _signal;
    private readonly CancellationTokenSource _stop = new();

    private TtyResizer(CommandContext context, string id)
    {
        _context = context;
        _id = id;
        _signal = context.Terminal.WatchResize(() => _ = ResizeAsync(null));
    }

    /// <summary>
    /// Starts watching. <paramref name="nudge"/> first sets a size one larger (docker attach does
    /// this so a re-attached shell redraws its prompt), then the real one.
    /// </summary>
    public static TtyResizer Start(CommandContext context, string id, bool nudge = false)
    {
        var resizer = new TtyResizer(context, id);
        _ = resizer.InitialAsync(nudge);
        return resizer;
    }

    private async Task InitialAsync(bool nudge)
    {
        if (nudge && _context.Terminal.OutputSize is { } size)
        {
            await ResizeAsync((size.Height + 1, size.Width + 1)).ConfigureAwait(false);
        }

        for (int attempt = 0; attempt <= 10; attempt++)
        {
            if (await ResizeAsync(null).ConfigureAwait(false))
            {
                return;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds((attempt + 1) * 10), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends the terminal's size (or <paramref name="size"/>); false when the daemon refused.</summary>
    private async Task<bool> ResizeAsync((uint Height, uint Width)? size)
    {
        if ((size ?? _context.Terminal.OutputSize) is not { } s || _stop.IsCancellationRequested)
        {
            return true;
        }

        try
        {
            var query = new QueryBuilder().Add("h", s.Height.ToString(CultureInfo.InvariantCulture)).Add("w", s.Width.ToString(CultureInfo.InvariantCulture));
            await _context.Client.PostJsonAsync($"/containers/{_id}/resize", query, null, _stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is DaemonErrorException or DaemonUnreachableException or IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _signal.Dispose();
        _stop.Cancel();
        _stop.Dispose();
    }
}
