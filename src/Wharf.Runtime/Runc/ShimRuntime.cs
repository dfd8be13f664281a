using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Wharf.Core.Containers;
using Wharf.Core.Containers.Spec;
using Wharf.Core.Errors;
using Wharf.Runtime.Spec;

namespace Wharf.Runtime.Runc;

/// <summary>
/// <see cref="IContainerRuntime"/> over runc, one wharf-shim per container (src/wharf-shim/README.md).
/// The driver keeps no state in memory: everything is in <c>ContainersRoot/ID</c> (bundle, the
/// shim's state dir, a "started" marker) and runc's root, so a new instance after a daemon
/// restart sees running containers, and several callers may use one instance concurrently.
/// </summary>
public sealed partial class ShimRuntime : IContainerRuntime
{
    private readonly ShimRuntimeSettings settings;
    private readonly ILogger logger;
    private readonly Lazy<HostFacts> hostFacts = new(HostFactsProbe.Detect);
    private readonly Lazy<bool> hostNeedsCgroupV1View = new(RuntimeCommand.HostNeedsCgroupV1View);

    public ShimRuntime(ShimRuntimeSettings settings, ILogger<ShimRuntime> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        this.settings = settings;
        this.logger = logger;
    }

    public async Task<int> CreateAsync(ContainerSpecRequest spec, RuntimeIo io, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(io);
        ContainerPaths.ValidateId(spec.Id);
        var paths = Paths(spec.Id);
        Directory.CreateDirectory(settings.ContainersRoot);
        Directory.CreateDirectory(settings.RuncRoot);
        if (Directory.Exists(paths.Dir))
        {
            throw WharfException.Conflict($"container {spec.Id} already exists in the runtime");
        }

        try
        {
            var json = RuntimeSpecBuilder.ToJson(new RuntimeSpecBuilder(new RootfsUserFiles(), hostFacts.Value).Build(spec));
            PrepareRealtimeParents(spec.CgroupsPath ?? "");
            Directory.CreateDirectory(paths.Bundle);
            Directory.CreateDirectory(paths.State);
            var runtime = CommandFor(spec.Runtime);
            Directory.CreateDirectory(runtime.Root);
            runtime.Write(paths.RuntimeFile);
            await File.WriteAllTextAsync(paths.Config, json, cancellationToken).ConfigureAwait(false);
            if (io.LogPath.Length > 0 && Path.GetDirectoryName(Path.GetFullPath(io.LogPath)) is { } logDir)
            {
                Directory.CreateDirectory(logDir);
            }

            var result = await ChildProcess.RunAsync(settings.ShimPath, ShimArgs(paths, io, runtime), settings.CreateTimeout, cancellationToken).ConfigureAwait(false);
            var (shimPid, initPid, error) = ShimFiles.ParseVerdict(result.StdOut);
            if (result.ExitCode == 0 && initPid > 0)
            {
                ShimRuntimeLog.Created(logger, spec.Id, shimPid, initPid);
                return initPid;
            }
            if (result.ExitCode == 1 && error is not null)
            {
                // Docker shows runtime failures as "OCI runtime create failed: runc create failed: ...".
                // (wharf-shim names the runtime by its binary: "crun create failed: ..." for crun.)
                throw WharfException.Invalid("OCI runtime create failed: " + error);
            }
            throw new WharfException(ErrorKind.Internal,
                $"wharf-shim failed (exit {result.ExitCode}): {error ?? (result.StdOut + result.StdErr).Trim()}");
        }
        catch (Exception e)
        {
            ShimRuntimeLog.CreateFailed(logger, spec.Id, e.Message);
            await RemoveAsync(paths, CancellationToken.None).ConfigureAwait(false);
            if (e is TimeoutException)
            {
                throw new WharfException(ErrorKind.Internal, "OCI runtime create failed: " + e.Message, e);
            }
            throw;
        }
    }

    private void PrepareRealtimeParents(string cgroupsPath)
    {
        if ((settings.CpuRealtimePeriod == 0 && settings.CpuRealtimeRuntime == 0) || cgroupsPath.Length == 0 || cgroupsPath.Contains(':', StringComparison.Ordinal))
        {
            // Nothing to hand down, or a systemd slice path the cgroupfs walk does not apply to.
            return;
        }
        try
        {
            Cgroups.CpuRealtimeBudget.PrepareParents(cgroupsPath, settings.CpuRealtimePeriod, settings.CpuRealtimeRuntime);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WharfException(ErrorKind.Internal, "linux init cpu rt controller: " + e.Message, e);
        }
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        ContainerPaths.ValidateId(id);
        var paths = Paths(id);
        if (!Directory.Exists(paths.Dir))
        {
            return;
        }
        await RemoveAsync(paths, cancellationToken).ConfigureAwait(false);
        ShimRuntimeLog.Deleted(logger, id);
    }

    public IReadOnlyList<string> List()
    {
        if (!Directory.Exists(settings.ContainersRoot))
        {
            return [];
        }
        return [.. Directory.EnumerateDirectories(settings.ContainersRoot)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => n.Length > 0 && n[0] != '.')
            .Order(StringComparer.Ordinal)];
    }

    private ContainerPaths Paths(string id) => new(settings.ContainersRoot, id);

    /// <summary>runc as the daemon's settings give it: what containers without a runtime.json ran with.</summary>
    private RuntimeCommand DefaultCommand => new()
    {
        Name = "runc",
        Path = settings.RuncPath,
        Args = settings.RuncArgs,
        Root = settings.RuncRoot,
        FifoStart = settings.StartThroughFifo ? RuntimeCommand.FifoRead : "",
    };

    private RuntimeCommand CommandFor(OciRuntimeConfig? runtime)
    {
        if (runtime is null || runtime.Name == "runc")
        {
            return DefaultCommand;
        }
        var binary = Path.GetFileName(runtime.Path);
        var crun = binary.StartsWith("crun", StringComparison.Ordinal);
        return new RuntimeCommand
        {
            Name = runtime.Name,
            Path = runtime.Path,
            Args = runtime.Args,
            Root = Path.Combine(Path.GetDirectoryName(settings.RuncRoot) ?? settings.RuncRoot, "runtime-" + runtime.Name),
            FifoStart = !settings.StartThroughFifo ? "" : crun ? RuntimeCommand.FifoWrite : binary == "runc" ? RuntimeCommand.FifoRead : "",
            CgroupV1View = crun && hostNeedsCgroupV1View.Value,
        };
    }

    private RuntimeCommand CommandOf(ContainerPaths paths) => RuntimeCommand.Read(paths.RuntimeFile) ?? DefaultCommand;

    private static List<string> ShimArgs(ContainerPaths paths, RuntimeIo io, RuntimeCommand runtime)
    {
        var args = new List<string> { "--id", paths.Id, "--bundle", paths.Bundle, "--state-dir", paths.State };
        args.AddRange(runtime.ShimOptions());
        if (io.Tty)
        {
            args.Add("--tty");
        }
        if (io.OpenStdin)
        {
            args.Add("--stdin");
        }
        if (io.LogPath.Length > 0)
        {
            args.AddRange(["--log", io.LogPath,
                "--log-max-size", Math.Max(0, io.LogMaxSize).ToString(CultureInfo.InvariantCulture),
                "--log-max-files", Math.Max(1, io.LogMaxFiles).ToString(CultureInfo.InvariantCulture)]);
        }
        return args;
    }

    /// <summary>
    /// <c>runc delete -f</c>, then the shim gets a moment to record the exit and leave (it is
    /// killed if it lingers), then the files go. Safe to repeat and to run on a half-made container.
    /// </summary>
    private async Task RemoveAsync(ContainerPaths paths, CancellationToken cancellationToken)
    {
        var runtime = CommandOf(paths);
        if (!TryRemoveEndedState(paths, runtime))
        {
            await RuncDeleteAsync(runtime, paths.Id, cancellationToken).ConfigureAwait(false);
        }

        // A shim that wrote exit has done its work and leaves by itself (after at most a second
        // of flushing output to attached clients); only one that did not is waited for.
        if (!File.Exists(paths.Exit) && ProcFs.ReadPidFile(paths.ShimPid) is { } shimPid)
        {
            var deadline = DateTime.UtcNow + settings.ShimExitGrace;
            while (IsShim(shimPid) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
            if (IsShim(shimPid))
            {
                ShimRuntimeLog.KillingShim(logger, paths.Id, shimPid);
                KillProcess(shimPid);
                // A shim interrupted in the middle of create (a cancelled or timed-out CreateAsync)
                // may have let runc finish creating after the first delete.
                await RuncDeleteAsync(runtime, paths.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        await StopExecShimsAsync(paths, cancellationToken).ConfigureAwait(false);
        TryDelete(paths, paths.Config, static p => File.Delete(p));
        // Non-recursive: a caller's rootfs mounted inside the bundle must never be walked.
        TryDelete(paths, paths.Bundle, static p => Directory.Delete(p, recursive: false));
        TryDelete(paths, paths.State, static p => Directory.Delete(p, recursive: true));
        TryDelete(paths, paths.Started, static p => File.Delete(p));
        if (!Directory.Exists(paths.Bundle))
        {
            TryDelete(paths, paths.Dir, static p => Directory.Delete(p, recursive: true));
        }
    }

    private async Task RuncDeleteAsync(RuntimeCommand runtime, string id, CancellationToken cancellationToken)
    {
        var r = await RuncAsync(runtime, ["delete", "-f", id], cancellationToken).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            var message = ShimFiles.RuncError(r.StdErr);
            if (!message.Contains("does not exist", StringComparison.Ordinal))
            {
                ShimRuntimeLog.RuncFailed(logger, "delete", id, message);
                // Removing the files now would lose track of a container that may still run.
                throw new WharfException(ErrorKind.Internal, $"OCI runtime delete failed: {message}");
            }
        }
    }

    private void TryDelete(ContainerPaths paths, string path, Action<string> delete)
    {
        try
        {
            if (File.Exists(path) || Directory.Exists(path))
            {
                delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ShimRuntimeLog.RemoveFailed(logger, e, paths.Id, path);
        }
    }

    private static void KillProcess(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Exited meanwhile.
        }
    }
}
