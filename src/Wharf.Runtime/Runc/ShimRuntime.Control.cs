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
        var runtime = CommandOf(paths);
        var throughFifo = runtime.FifoStart switch
        {
            RuntimeCommand.FifoRead => await TryStartThroughFifoAsync(paths, runtime, cancellationToken).ConfigureAwait(false),
            RuntimeCommand.FifoWrite => TryStartThroughWrittenFifo(paths, runtime),
            _ => false,
        };
        if (throughFifo)
        {
            ShimRuntimeLog.Started(logger, id);
            return;
        }

        var r = await RuncAsync(runtime, ["start", id], cancellationToken).ConfigureAwait(false);
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
    private async Task<bool> TryStartThroughFifoAsync(ContainerPaths paths, RuntimeCommand runtime, CancellationToken cancellationToken)
    {
        if (ExecFifo(paths, runtime) is not { } fifo)
        {
            return false;
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

    /// <summary>
    /// What <c>crun start</c> does, without a crun process: crun's init of a created container
    /// waits reading <c>ROOT/ID/exec.fifo</c>; one byte written lets it exec the user's process,
    /// and the fifo's removal is what makes crun report the container as running.
    /// </summary>
    private static bool TryStartThroughWrittenFifo(ContainerPaths paths, RuntimeCommand runtime)
    {
        if (ExecFifo(paths, runtime) is not { } fifo)
        {
            return false;
        }
        try
        {
            // Nonblocking: the open succeeds only while init holds the read end.
            using var writer = Fifo.OpenWriterNonBlocking(fifo);
            File.Delete(fifo);
            using var stream = new FileStream(writer, FileAccess.Write, bufferSize: 0);
            stream.WriteByte((byte)'0');
        }
        catch (Exception e) when (e is ErrnoException or IOException)
        {
            File.Delete(paths.Started);
            throw new WharfException(ErrorKind.Internal, "OCI runtime start failed: container process is already dead", e);
        }
        return true;
    }

    /// <summary>The created container's exec fifo; null when there is none (the runtime's own start then runs).</summary>
    private static string? ExecFifo(ContainerPaths paths, RuntimeCommand runtime)
    {
        var fifo = Path.Combine(runtime.Root, paths.Id, "exec.fifo");
        if (!Posix.TryLStat(fifo, out var st) || st.Kind != FileKind.Fifo)
        {
            return null;
        }
        if (ProcFs.ReadPidFile(paths.InitPid) is not { } initPid || !ProcFs.IsAlive(initPid))
        {
            File.Delete(paths.Started);
            throw new WharfException(ErrorKind.Internal, "OCI runtime start failed: container process is already dead");
        }
        return fifo;
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
        var r = await RuncAsync(CommandOf(paths), args, cancellationToken).ConfigureAwait(false);
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
        var r = await RuncAsync(CommandOf(paths), [command, id], cancellationToken).ConfigureAwait(false);
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
    private Task<ChildResult> RuncAsync(RuntimeCommand runtime, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var (file, argv) = runtime.Invocation(settings.ShimPath, args);
        return ChildProcess.RunAsync(file, argv, settings.RuncTimeout, cancellationToken);
    }
}
