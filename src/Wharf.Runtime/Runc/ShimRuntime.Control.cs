using System.Globalization;
using Wharf.Core.Errors;

namespace Wharf.Runtime.Runc;

public sealed partial class ShimRuntime
{
    public async Task StartAsync(string id, CancellationToken cancellationToken)
    {
        var paths = Existing(id);
        // The marker goes first so a status read right after start already says running.
        await File.WriteAllTextAsync(paths.Started, "", cancellationToken).ConfigureAwait(false);
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
