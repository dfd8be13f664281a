using System.Net.Sockets;
using Wharf.Core.Containers;
using Wharf.Core.Errors;

namespace Wharf.Runtime.Runc;

public sealed partial class ShimRuntime
{
    /// <summary>
    /// Read from files only (init.pid, exit, /proc, the freezer cgroup), so it is cheap and works
    /// the same for a driver instance that did not create the container. Running means started
    /// (runc's "created" init is alive but waits for <c>runc start</c>) and not yet exited.
    /// </summary>
    public RuntimeStatus? GetStatus(string id)
    {
        ContainerPaths.ValidateId(id);
        var paths = Paths(id);
        if (!Directory.Exists(paths.Dir))
        {
            return null;
        }
        var exit = ShimFiles.ReadExit(paths.Exit);
        var pid = ProcFs.ReadPidFile(paths.InitPid) ?? 0;
        var running = exit is null && pid > 0 && ProcFs.IsAlive(pid) && File.Exists(paths.Started);
        var paused = running && ProcFs.IsFrozen(pid);
        return new RuntimeStatus(pid, running, paused, exit);
    }

    /// <summary>
    /// Completes when the shim's <c>exit</c> file appears. The shim closes its attach clients
    /// only after writing that file, so an attach connection that asks for no stream ends at
    /// the right moment and costs no thread. When there is no such connection to make (the shim
    /// is gone or not listening), a watcher on the state dir with a slow poll decides.
    /// </summary>
    public async Task<RuntimeExit> WaitAsync(string id, CancellationToken cancellationToken)
    {
        ContainerPaths.ValidateId(id);
        var paths = Paths(id);
        if (Directory.Exists(paths.State) && ShimFiles.ReadExit(paths.Exit) is null)
        {
            await WaitForShimToHangUpAsync(paths, cancellationToken).ConfigureAwait(false);
        }
        return await WaitExitFileAsync(paths.State, id, $"No such container: {id}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task WaitForShimToHangUpAsync(ContainerPaths paths, CancellationToken cancellationToken)
    {
        Socket socket;
        try
        {
            socket = await ConnectAsync(paths, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WharfException or SocketException or IOException)
        {
            return;
        }
        using (socket)
        {
            try
            {
                if (await RequestAsync(socket, "attach\n", cancellationToken).ConfigureAwait(false) != "ok")
                {
                    return;
                }
                var buffer = new byte[64];
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false) > 0)
                {
                    // A client without streams is sent nothing; keep reading until the shim hangs up.
                }
            }
            catch (Exception e) when (e is WharfException or SocketException or IOException)
            {
                // Reset or refused: the checks of the caller decide.
            }
        }
    }

    /// <summary>Waits for STATE/exit, written by the shim that owns <paramref name="state"/> (a container's or an exec's).</summary>
    private async Task<RuntimeExit> WaitExitFileAsync(string state, string id, string notFound, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(state))
        {
            throw WharfException.NotFound(notFound);
        }

        var exitPath = Path.Combine(state, "exit");
        if (ShimFiles.ReadExit(exitPath) is { } done)
        {
            return done;
        }
        var signal = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(state) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName };
        void Wake(object? sender, EventArgs e)
        {
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
        watcher.Created += Wake;
        watcher.Renamed += Wake;
        watcher.Error += Wake;
        try
        {
            watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            // The state dir went away (deleted meanwhile): the checks below decide.
        }

        var lostChecks = 0;
        while (true)
        {
            if (ShimFiles.ReadExit(exitPath) is { } exit)
            {
                return exit;
            }
            if (!Directory.Exists(state))
            {
                throw WharfException.NotFound(notFound);
            }
            // A shim that is gone without writing exit will never write it (containerd reports 255 too).
            // Two consecutive observations, so a shim that is just renaming the file is not misjudged.
            lostChecks = ShimIsGone(state) ? lostChecks + 1 : 0;
            if (lostChecks >= 2)
            {
                if (ShimFiles.ReadExit(exitPath) is { } late)
                {
                    return late;
                }
                ShimRuntimeLog.LostShim(logger, id);
                return new RuntimeExit(255, DateTimeOffset.UtcNow, false);
            }
            await signal.WaitAsync(lostChecks > 0 ? TimeSpan.FromMilliseconds(200) : settings.WaitPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool ShimIsGone(string state)
    {
        // No shim.pid yet means the shim is still starting (or create failed and is being undone).
        var shimPid = ProcFs.ReadPidFile(Path.Combine(state, "shim.pid"));
        return shimPid is { } pid && !IsShim(pid);
    }

    /// <summary>Alive, not a zombie, and still the shim (not a recycled pid).</summary>
    private static bool IsShim(int pid) => ProcFs.IsAlive(pid) && ProcFs.Comm(pid) == "wharf-shim";
}
