using System.Runtime.InteropServices;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>
/// <c>--sig-proxy</c>: while attached to a container without a tty, the signals this process
/// gets are sent to the container (<c>POST /containers/{id}/kill?signal=NAME</c>) instead of
/// acting on the CLI, as the docker CLI's run, start -a and attach do. With a tty the terminal
/// sends ^C to the container's pty itself, so nothing is proxied.
/// </summary>
internal static class SignalProxy
{
    private static readonly (PosixSignal Signal, string Name)[] Forwarded =
    [
        (PosixSignal.SIGINT, "INT"),
        (PosixSignal.SIGTERM, "TERM"),
        (PosixSignal.SIGHUP, "HUP"),
        (PosixSignal.SIGQUIT, "QUIT"),
        ((PosixSignal)10, "USR1"),
        ((PosixSignal)12, "USR2"),
    ];

    private static int _active;

    /// <summary>Whether signals go to a container now (the CLI's own ^C handling stands aside).</summary>
    public static bool Active => Volatile.Read(ref _active) > 0;

    /// <summary>Proxies until the result is disposed; null (nothing to undo) when not asked or with a tty.</summary>
    public static IDisposable? Start(CommandContext context, string containerId, bool enabled, bool tty)
    {
        if (!enabled || tty)
        {
            return null;
        }

        var registrations = Forwarded
            .Select(f => PosixSignalRegistration.Create(f.Signal, e =>
            {
                e.Cancel = true;
                _ = ForwardAsync(context, containerId, f.Name);
            }))
            .ToList();
        Interlocked.Increment(ref _active);
        return new Stop(registrations);
    }

    private static async Task ForwardAsync(CommandContext context, string containerId, string signal)
    {
        try
        {
            await context.Client.PostJsonAsync($"/containers/{ApiPath.Escape(containerId)}/kill", new QueryBuilder().Add("signal", signal), null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DaemonErrorException or HttpRequestException or IOException)
        {
            // The container may have exited between the signal and the request; docker says nothing either.
        }
    }

    private sealed class Stop(List<PosixSignalRegistration> registrations) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                registrations.ForEach(r => r.Dispose());
                Interlocked.Decrement(ref _active);
            }
        }
    }
}
