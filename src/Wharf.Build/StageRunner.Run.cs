using System.Globalization;
using System.Text;
using Wharf.Build.Parsing;
using Wharf.Core.Containers;
using Wharf.Core.Containers.Files;
using Wharf.Core.Errors;
using Wharf.Oci.Image;

namespace Wharf.Build;

internal sealed partial class StageRunner
{
    private async Task RunAsync(Instruction ins, CancellationToken cancellationToken)
    {
        var argv = RunArgv(ins);
        var argEnv = ArgEnv();
        var createdBy = string.Join(' ', argv);
        if (argEnv.Count > 0)
        {
            createdBy = "|" + argEnv.Count.ToString(CultureInfo.InvariantCulture) + " " + string.Join(' ', argEnv) + " " + createdBy;
        }

        // Mounts and network flags change what the command sees, so they are part of the key,
        // with the content of what binds show.
        var mounts = ins.FlagValues("mount").Select(v => RunMount.Parse(v, Expand)).ToList();
        var network = RunNetwork(ins);
        var key = BuildCache.Key(ImageRef, createdBy, "run\n" + string.Join('\n', ins.Flags.Select(f => f.Name + "=" + f.Value)) + "\n" + await MountKeyAsync(mounts).ConfigureAwait(false));
        if (await TryCacheAsync(key, createdBy, (layer, ct) => RestoreInContainerAsync(RunConfig(argv, argEnv), createdBy, layer, ct), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (!HasLayers)
        {
            // Docker makes the container and runc fails to find the command in the empty root;
            // here nothing is made: the step fails with the same cause.
            throw WharfException.Invalid($"The command '{string.Join(' ', argv)}' cannot run in an image without layers (FROM scratch): exec: \"{argv[0]}\": stat {argv[0]}: no such file or directory");
        }

        var config = RunConfig(argv, argEnv);
        var (mountSpecs, mountEnv, mountCleanup) = await PrepareMountsAsync(mounts, string.Join(' ', argv), cancellationToken).ConfigureAwait(false);
        string id;
        try
        {
            if (mountEnv.Count > 0)
            {
                config = config with { Env = [.. config.Env ?? [], .. mountEnv] };
            }

            id = await CreateContainerAsync(config, cancellationToken, mountSpecs, network).ConfigureAwait(false);
        }
        catch
        {
            mountCleanup.ForEach(c => c.Dispose());
            throw;
        }

        // rm=false keeps RUN containers, failed ones too; forcerm removes them, failed ones too
        // (dockerd's legacy builder). By default a failed step's container is removed as well,
        // so that a failed build leaves nothing behind (dockerd keeps it).
        var keep = !_job.Request.Remove && !_job.Request.ForceRemove;
        try
        {
            await WriteAsync($" ---> Running in {id[..12]}\n").ConfigureAwait(false);
            var stubs = await MountStubsAsync(id, mountSpecs, cancellationToken).ConfigureAwait(false);
            var exitTask = _job.Containers.RegisterWait(id, "next-exit", cancellationToken);
            await _job.Containers.StartAsync(id, cancellationToken).ConfigureAwait(false);
            await StreamLogsAsync(id, cancellationToken).ConfigureAwait(false);
            var exit = await exitTask.ConfigureAwait(false);
            if (exit.StatusCode != 0)
            {
                var failed = WharfException.Invalid($"The command '{string.Join(' ', argv)}' returned a non-zero code: {exit.StatusCode}");
                failed.Data["code"] = exit.StatusCode;
                throw failed;
            }

            var image = await CommitStepAsync(id, key, createdBy, stubs, cancellationToken).ConfigureAwait(false);
            if (!keep)
            {
                await RemoveContainerAsync(id).ConfigureAwait(false);
                await WriteAsync($"Removing intermediate container {id[..12]}\n").ConfigureAwait(false);
            }

            await MoveToAsync(image, cached: false).ConfigureAwait(false);
        }
        finally
        {
            if (keep)
            {
                _job.UntrackContainer(id);
            }
            else if (_job.Request.ForceRemove && _job.UntrackContainer(id))
            {
                await ForceRemoveAsync(id).ConfigureAwait(false);
            }

            await RemoveContainerAsync(id).ConfigureAwait(false);
            mountCleanup.ForEach(c => c.Dispose());
        }
    }

    /// <summary>The config of a RUN's container: the image's environment with the ARGs in effect added.</summary>
    private ContainerConfig RunConfig(IReadOnlyList<string> argv, List<string> argEnv)
    {
        var env = new List<string>(Config.Env ?? []);
        foreach (var a in argEnv)
        {
            var name = a[..a.IndexOf('=', StringComparison.Ordinal)];
            if (!env.Any(e => e.StartsWith(name + "=", StringComparison.Ordinal)))
            {
                env.Add(a);
            }
        }

        return new ContainerConfig
        {
            Image = ImageId.Value,
            Hostname = BuildHostname,
            Cmd = argv,
            Entrypoint = [],
            Env = env,
            User = Config.User,
            WorkingDir = Config.WorkingDir,
            Labels = Config.Labels,
            AttachStdout = true,
            AttachStderr = true,
        };
    }

    /// <summary>The command of a RUN: exec form as written, shell form through SHELL; here-documents go to the shell as written.</summary>
    private IReadOnlyList<string> RunArgv(Instruction ins)
    {
        if (ins.IsJson)
        {
            return ins.Args;
        }

        var script = ins.Args[0];
        if (ins.Heredocs.Count > 0)
        {
            var sb = new StringBuilder(script);
            foreach (var doc in ins.Heredocs)
            {
                sb.Append('\n').Append(doc.Content).Append(doc.Name);
            }

            script = sb.ToString();
        }

        return [.. _shell, script];
    }

    private async Task StreamLogsAsync(string id, CancellationToken cancellationToken)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        await foreach (var entry in _job.Containers.LogsAsync(id, new LogOptions(true, true, true, null, null, -1), cancellationToken).ConfigureAwait(false))
        {
            var chars = new char[Encoding.UTF8.GetMaxCharCount(entry.Data.Length)];
            var n = decoder.GetChars(entry.Data.Span, chars, flush: false);
            if (n > 0)
            {
                await WriteAsync(new string(chars, 0, n)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Creates a build container: network none unless asked, the build's resource limits.</summary>
    private async Task<string> CreateContainerAsync(ContainerConfig config, CancellationToken cancellationToken, IReadOnlyList<Core.Containers.Mounts.MountSpec>? mounts = null, string? network = null)
    {
        var request = _job.Request;
        var spec = new ContainerCreateSpec
        {
            Config = config,
            Host = new ContainerHostSettings
            {
                NetworkMode = network ?? request.NetworkMode,
                Mounts = mounts ?? [],
                ShmSize = request.ShmSize,
                Memory = request.Memory,
                ExtraHosts = request.ExtraHosts,
            },
        };
        var (id, _) = await _job.Containers.CreateAsync(spec, cancellationToken).ConfigureAwait(false);
        _job.TrackContainer(id);
        return id;
    }

    /// <summary>forcerm after a failed step: dockerd says so before the error.</summary>
    private async Task ForceRemoveAsync(string id)
    {
        try
        {
            await _job.Containers.RemoveAsync(id, force: true, volumes: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (WharfException e) when (e.Kind == ErrorKind.NotFound)
        {
        }

        await WriteAsync($"Removing intermediate container {id[..12]}\n").ConfigureAwait(false);
    }

    private async Task RemoveContainerAsync(string id)
    {
        if (!_job.UntrackContainer(id))
        {
            return;
        }

        try
        {
            await _job.Containers.RemoveAsync(id, force: true, volumes: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (WharfException e) when (e.Kind == ErrorKind.NotFound)
        {
        }
    }
}
