using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Wharf.Core.Exec;
using Wharf.Oci.Runtime;
using Wharf.Runtime.Spec;

namespace Wharf.Runtime.Runc;

/// <summary>
/// Execs: one <c>wharf-shim --exec</c> per process, its state dir at <c>ID/execs/EXECID</c>, so
/// everything an exec leaves goes with the container's directory (src/wharf-shim/README.md).
/// </summary>
public sealed partial class ShimRuntime : IExecRuntime
{
    public async Task<ExecStarted> StartExecAsync(string containerId, ExecProcessSpec spec, AttachStreams? attach, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var paths = Existing(containerId);
        ContainerPaths.ValidateId(spec.ExecId);
        if (File.Exists(paths.Exit) || !File.Exists(paths.Started))
        {
            throw NotRunning(containerId);
        }

        var state = ExecState(paths, spec.ExecId);
        if (Directory.Exists(state))
        {
            throw WharfException.Conflict($"exec {spec.ExecId} already exists in the runtime");
        }

        var config = JsonSerializer.Deserialize(await File.ReadAllTextAsync(paths.Config, cancellationToken).ConfigureAwait(false), RuntimeJsonContext.Default.RuntimeSpec)
            ?? throw new WharfException(ErrorKind.Internal, $"container {containerId} has no runtime spec");
        var process = ExecProcessBuilder.Build(config, spec, new RootfsUserFiles(), hostFacts.Value.CapLastCap);
        Directory.CreateDirectory(state);
        Stream? stream = null;
        try
        {
            var processFile = Path.Combine(state, "process.json");
            await File.WriteAllTextAsync(processFile, JsonSerializer.Serialize(process, ExecJsonContext.Default.Process), cancellationToken).ConfigureAwait(false);
            var args = new List<string> { "--exec", "--process", processFile, "--id", containerId, "--state-dir", state };
            args.AddRange(CommandOf(paths).ShimOptions());
            if (spec.Tty)
            {
                args.Add("--tty");
            }
            if (spec.OpenStdin)
            {
                args.Add("--stdin");
            }

            var result = await ChildProcess.RunAsync(settings.ShimPath, args, settings.CreateTimeout, cancellationToken).ConfigureAwait(false);
            var (shimPid, _, error) = ShimFiles.ParseVerdict(result.StdOut);
            if (result.ExitCode != 0 || shimPid <= 0)
            {
                throw new WharfException(ErrorKind.Internal, $"wharf-shim --exec failed (exit {result.ExitCode}): {error ?? (result.StdOut + result.StdErr).Trim()}");
            }

            if (attach is not null)
            {
                stream = await AttachStateAsync(state, containerId, attach, cancellationToken).ConfigureAwait(false);
            }

            using var socket = await ConnectAsync(state, containerId, cancellationToken).ConfigureAwait(false);
            var reply = await RequestAsync(socket, "start\n", cancellationToken).ConfigureAwait(false);
            if (reply.StartsWith("ok ", StringComparison.Ordinal)
                && int.TryParse(reply.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                ShimRuntimeLog.ExecStarted(logger, containerId, spec.ExecId, pid);
                return new ExecStarted(pid, stream);
            }

            var message = reply.StartsWith("error ", StringComparison.Ordinal) ? reply["error ".Length..] : "wharf-shim did not start the exec";
            // Docker's text: containerd adds the gRPC code ("unknown") to runc's message.
            throw WharfException.Invalid("OCI runtime exec failed: " + message + ": unknown");
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            // Cancelled after `start` was sent (a probe's timeout): the process may run; it must not outlive us.
            await KillQuietlyAsync(state, containerId).ConfigureAwait(false);
            await DeleteExecStateAsync(state, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task KillQuietlyAsync(string state, string containerId)
    {
        if (!File.Exists(Path.Combine(state, "shim.pid")) || File.Exists(Path.Combine(state, "exit")))
        {
            return;
        }
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var socket = await ConnectAsync(state, containerId, cts.Token).ConfigureAwait(false);
            await RequestAsync(socket, "kill 9\n", cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WharfException or SocketException or IOException or OperationCanceledException)
        {
            // No shim, or it already ended: nothing runs.
        }
    }

    public RuntimeExit? GetExecExit(string containerId, string execId)
    {
        ContainerPaths.ValidateId(containerId);
        ContainerPaths.ValidateId(execId);
        return ShimFiles.ReadExit(Path.Combine(ExecState(Paths(containerId), execId), "exit"));
    }

    public Task<RuntimeExit> WaitExecAsync(string containerId, string execId, CancellationToken cancellationToken)
    {
        ContainerPaths.ValidateId(containerId);
        ContainerPaths.ValidateId(execId);
        return WaitExitFileAsync(ExecState(Paths(containerId), execId), containerId, $"No such exec instance: {execId}", cancellationToken);
    }

    public async Task ResizeExecAsync(string containerId, string execId, int rows, int columns, CancellationToken cancellationToken)
    {
        ContainerPaths.ValidateId(execId);
        var state = ExecState(Existing(containerId), execId);
        if (rows <= 0 || columns <= 0 || rows > ushort.MaxValue || columns > ushort.MaxValue)
        {
            throw WharfException.Invalid($"invalid terminal size {rows}x{columns}");
        }
        using var socket = await ConnectAsync(state, containerId, cancellationToken).ConfigureAwait(false);
        var reply = await RequestAsync(socket, string.Create(CultureInfo.InvariantCulture, $"resize {rows} {columns}\n"), cancellationToken).ConfigureAwait(false);
        if (reply != "ok")
        {
            throw ReplyError(containerId, "resize exec in", reply);
        }
    }

    public async Task KillExecAsync(string containerId, string execId, int signal, CancellationToken cancellationToken)
    {
        ContainerPaths.ValidateId(containerId);
        ContainerPaths.ValidateId(execId);
        var state = ExecState(Paths(containerId), execId);
        if (!Directory.Exists(state) || File.Exists(Path.Combine(state, "exit")))
        {
            return;
        }
        try
        {
            using var socket = await ConnectAsync(state, containerId, cancellationToken).ConfigureAwait(false);
            var reply = await RequestAsync(socket, string.Create(CultureInfo.InvariantCulture, $"kill {signal}\n"), cancellationToken).ConfigureAwait(false);
            if (reply != "ok" && reply != "error process is not running")
            {
                throw ReplyError(containerId, "kill exec in", reply);
            }
        }
        catch (WharfException e) when (e.Kind == ErrorKind.Conflict)
        {
            // The shim is gone: so is the process.
        }
        catch (SocketException)
        {
            // Likewise: the shim closed its socket while exiting.
        }
    }

    public Task DeleteExecAsync(string containerId, string execId, CancellationToken cancellationToken)
    {
        ContainerPaths.ValidateId(containerId);
        ContainerPaths.ValidateId(execId);
        return DeleteExecStateAsync(ExecState(Paths(containerId), execId), cancellationToken);
    }

    private static string ExecsDir(ContainerPaths paths) => Path.Combine(paths.Dir, "execs");

    private static string ExecState(ContainerPaths paths, string execId) => Path.Combine(ExecsDir(paths), execId);

    /// <summary>Gives the exec's shim a moment to leave (it does once its process is gone), kills it if it lingers, removes the dir.</summary>
    private async Task DeleteExecStateAsync(string state, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(state))
        {
            return;
        }
        await StopShimAsync(state, cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.Delete(state, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ShimRuntimeLog.RemoveFailed(logger, e, Path.GetFileName(state), state);
        }
    }

    /// <summary>After <c>runc delete -f</c> the container's exec processes are dead; their shims leave within moments.</summary>
    private async Task StopExecShimsAsync(ContainerPaths paths, CancellationToken cancellationToken)
    {
        var dir = ExecsDir(paths);
        if (!Directory.Exists(dir))
        {
            return;
        }
        await Task.WhenAll(Directory.GetDirectories(dir).Select(d => StopShimAsync(d, cancellationToken))).ConfigureAwait(false);
    }

    private async Task StopShimAsync(string state, CancellationToken cancellationToken)
    {
        if (ProcFs.ReadPidFile(Path.Combine(state, "shim.pid")) is not { } shimPid)
        {
            return;
        }
        var deadline = DateTime.UtcNow + settings.ShimExitGrace;
        while (IsShim(shimPid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
        if (IsShim(shimPid))
        {
            ShimRuntimeLog.KillingShim(logger, Path.GetFileName(state), shimPid);
            KillProcess(shimPid);
        }
    }
}
