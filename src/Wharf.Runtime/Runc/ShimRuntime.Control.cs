using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Linux;

namespace Wharf.Runtime.Runc;

public sealed partial class ShimRuntime
{
    public async Task StartAsync(string id, CancellationToken cancellationToken)
    {
        var paths = Existing(id);
        // The marker goes first so a status read right after start already says running.
        await File.WriteAllTextAsync(paths.Started, "", cancellationToken).ConfigureAwait(false);
        if (await TryStartThroughFifoAsync(paths, cancellationToken).ConfigureAwait(false))
        {
            ShimRuntimeLog.Started(logger, id);
            return;
        }

        var r = await RuncAsync(["start", id], cancellationToken).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            File.Delete(paths.Started);
            var message = ShimFiles.RuncError(r.StdErr);
            ShimRuntimeLog.RuncFailed(logger, "start", id, message);
            // moby's translateContainerdStartErr: a missing or unusable command is the user's error.
            var userError = message.Contains("executable file not found", StringComparison.Ordinal)
                || message.Contains("no such file or directory", StringComparison.Ordinal)
                || message.Contains("permission denied", StringComparison.Ordinal);
            throw new WharfException(userError ? ErrorKind.InvalidArgument : ErrorKind.Internal, "OCI runtime start failed: " + message);
        }
        ShimRuntimeLog.Started(logger, id);
    }

    /// <summary>
    /// What <c>runc start</c> does, without a runc process: runc's init of a created container
    /// blocks opening <c>ROOT/ID/exec.fifo</c> for writing; opening it for reading lets init
    /// write one byte and exec the user's process, and removing the fifo is what makes runc
    /// report the container as running. Only for runc (other runtimes have other handshakes):
    /// false when there is no fifo, and runc start then runs as usual.
    /// </summary>
    private async Task<bool> TryStartThroughFifoAsync(ContainerPaths paths, CancellationToken cancellationToken)
    {
        var fifo = Path.Combine(settings.RuncRoot, paths.Id, "exec.fifo");
        if (!settings.StartThroughFifo || !Posix.TryLStat(fifo, out var st) || st.Kind != FileKind.Fifo)
        {
            return false;
        }
        if (ProcFs.ReadPidFile(paths.InitPid) is not { } initPid || !ProcFs.IsAlive(initPid))
        {
            File.Delete(paths.Started);
            throw new WharfException(ErrorKind.Internal, "OCI runtime start failed: container process is already dead");
        }

        // Opening a fifo blocks until the other side opens; init is alive and waiting, so this is
        // short. Should init die first, the timeout below opens the write side to release the read.
        var read = Task.Run(() => File.ReadAllBytes(fifo), CancellationToken.None);
        var done = await Task.WhenAny(read, Task.Delay(settings.RuncTimeout, cancellationToken)).ConfigureAwait(false);
        if (done != read)
        {
            ReleaseFifoReader(fifo);
            await ((Task)read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
        byte[] data;
        try
        {
            data = await read.ConfigureAwait(false);
        }
        catch (IOException e)
        {
            File.Delete(paths.Started);
            throw new WharfException(ErrorKind.Internal, "OCI runtime start failed: " + e.Message, e);
        }
        if (data.Length == 0)
        {
            File.Delete(paths.Started);
            throw new WharfException(ErrorKind.Internal, "OCI runtime start failed: container process is already dead");
        }
        File.Delete(fifo);
        return true;
    }

    private static void ReleaseFifoReader(string fifo)
    {
        try
        {
            // Nonblocking open for writing succeeds only while a reader waits; closing at once gives it EOF.
            Fifo.OpenWriterNonBlocking(fifo).Dispose();
        }
        catch (ErrnoException)
        {
            // No reader any more: nothing to release.
        }
    }

    public async Task KillAsync(string id, int signal, bool all, CancellationToken cancellationToken)
    {
        var paths = Existing(id);
        const int SigKill = 9;
        if (File.Exists(paths.Exit))
        {
            // Killing what is already dead is what stop and rm -f do; only an explicit signal to a stopped container is an error.
            if (signal == SigKill)
            {
                return;
            }
            throw NotRunning(id);
        }
        List<string> args = all ? ["kill", "--all", id] : ["kill", id];
        args.Add(signal.ToString(CultureInfo.InvariantCulture));
        var r = await RuncAsync(args, cancellationToken).ConfigureAwait(false);
        if (r.ExitCode == 0)
        {
            return;
        }
        var message = ShimFiles.RuncError(r.StdErr);
        if (message.Contains("not running", StringComparison.Ordinal)
            || message.Contains("process already finished", StringComparison.Ordinal)
            || message.Contains("does not exist", StringComparison.Ordinal)
            || File.Exists(paths.Exit))
        {
            if (signal == SigKill)
            {
                return;
            }
            throw NotRunning(id);
        }
        ShimRuntimeLog.RuncFailed(logger, "kill", id, message);
        throw new WharfException(ErrorKind.Internal, "OCI runtime kill failed: " + message);
    }

    public Task PauseAsync(string id, CancellationToken cancellationToken) => SimpleAsync("pause", id, cancellationToken);

    public Task ResumeAsync(string id, CancellationToken cancellationToken) => SimpleAsync("resume", id, cancellationToken);

    private async Task SimpleAsync(string command, string id, CancellationToken cancellationToken)
    {
        var paths = Existing(id);
        if (File.Exists(paths.Exit))
        {
            throw NotRunning(id);
        }
        var r = await RuncAsync([command, id], cancellationToken).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            var message = ShimFiles.RuncError(r.StdErr);
            ShimRuntimeLog.RuncFailed(logger, command, id, message);
            var kind = message.Contains("not running", StringComparison.Ordinal) || message.Contains("not paused", StringComparison.Ordinal)
                ? ErrorKind.Conflict : ErrorKind.Internal;
            throw new WharfException(kind, $"OCI runtime {command} failed: {message}");
        }
    }

    private static WharfException NotRunning(string id) => WharfException.Conflict($"Container {id} is not running");

    private ContainerPaths Existing(string id)
    {
        ContainerPaths.ValidateId(id);
        var paths = Paths(id);
        return Directory.Exists(paths.State) ? paths : throw WharfException.NotFound($"No such container: {id}");
    }

    /// <summary>runc with its JSON log on stderr, so errors come back as runc's own message.</summary>
    private Task<ChildResult> RuncAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        ChildProcess.RunAsync(settings.RuncPath, ["--root", settings.RuncRoot, "--log-format", "json", .. settings.RuncArgs, .. args],
            settings.RuncTimeout, cancellationToken);
}
