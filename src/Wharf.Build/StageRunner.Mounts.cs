using Wharf.Build.Parsing;
using Wharf.Core.Containers.Mounts;
using Wharf.Core.Errors;

namespace Wharf.Build;

internal sealed partial class StageRunner
{
    /// <summary>
    /// What a RUN's <c>--mount</c> flags add to its cache key beyond their text: the checksum of
    /// a bind's files from the context, or the stage or image it binds from. So a RUN that reads
    /// a bound file reruns when the file changes, as BuildKit's do.
    /// </summary>
    private async Task<string> MountKeyAsync(IReadOnlyList<RunMount> mounts)
    {
        var parts = new List<string>();
        foreach (var m in mounts.Where(m => m.Type == "cache" && m.From is not null))
        {
            // The base is an input of the step, as in BuildKit (not what the cache holds later).
            parts.Add("cache-from:" + await BindImageAsync(m.From!).ConfigureAwait(false) + ":" + m.Source);
        }

        foreach (var m in mounts.Where(m => m.Type == "bind"))
        {
            if (m.From is null)
            {
                var plan = CopyPlan.Create(_job.Context, [m.Source.Length == 0 ? "." : m.Source], [], "RUN --mount");
                parts.Add("bind:" + m.Source + ":" + plan.Checksum);
            }
            else
            {
                parts.Add("bind-from:" + await BindImageAsync(m.From).ConfigureAwait(false) + ":" + m.Source);
            }
        }

        return string.Join('\n', parts);
    }

    /// <summary>The image a <c>from=</c> names: an earlier stage's result or an image.</summary>
    private async Task<string> BindImageAsync(string from)
    {
        var stage = _job.Dockerfile.Stages.Take(_stage.Index).FirstOrDefault(s => string.Equals(s.Name, from, StringComparison.OrdinalIgnoreCase));
        if (stage is null && int.TryParse(from, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < _stage.Index)
        {
            stage = _job.Dockerfile.Stages[index];
        }

        return stage is not null ? (await _job.StageResultAsync(stage.Index).ConfigureAwait(false)).Value : _job.Images.Inspect(from).Image.Id.Value;
    }

    /// <summary>The mounts of a RUN as container mounts, and what must be released after it.</summary>
    private async Task<(List<MountSpec> Specs, List<string> Env, List<IDisposable> Cleanup)> PrepareMountsAsync(IReadOnlyList<RunMount> mounts, string command, CancellationToken cancellationToken)
    {
        var specs = new List<MountSpec>();
        var env = new List<string>();
        var cleanup = new List<IDisposable>();
        try
        {
            foreach (var m in mounts)
            {
                var target = JoinWorkdir(Config.WorkingDir, m.Target);
                switch (m.Type)
                {
                    case "cache":
                        var baseKey = m.From is { } from ? await BindImageAsync(from).ConfigureAwait(false) + ":" + JoinWorkdir("/", m.Source) : null;
                        var (path, lease) = await _job.CacheMounts.AcquireAsync(
                            m,
                            $"cached mount {target} from exec {command}",
                            _job.Time.GetUtcNow(),
                            baseKey,
                            m.From is null ? null : (dir, ct) => SeedCacheAsync(m, dir, ct),
                            cancellationToken).ConfigureAwait(false);
                        cleanup.Add(lease);
                        specs.Add(new MountSpec { Type = "bind", Source = path, Target = target, ReadOnly = m.ReadOnly });
                        break;
                    case "tmpfs":
                        specs.Add(new MountSpec { Type = "tmpfs", Target = target, TmpfsOptions = new MountTmpfsSpec { SizeBytes = m.Size } });
                        break;
                    case "bind":
                        specs.Add(new MountSpec { Type = "bind", Source = await BindSourceAsync(m, cleanup, cancellationToken).ConfigureAwait(false), Target = target, ReadOnly = m.ReadOnly });
                        break;
                    case "secret":
                        // The legacy API carries no secrets: a required one fails; an optional one is
                        // left out (no file), its env variable set empty, as BuildKit does when the
                        // client gave none.
                        if (m.Required)
                        {
                            throw WharfException.Invalid($"secret {m.Id}: not found (POST /build carries no build secrets)");
                        }

                        if (m.Env is { Length: > 0 } name)
                        {
                            env.Add(name + "=");
                        }

                        break;
                    default:
                        if (m.Required)
                        {
                            throw WharfException.Invalid($"no SSH key {m.Id} forwarded from the client (POST /build carries no SSH agent)");
                        }

                        break;
                }
            }

            return (specs, env, cleanup);
        }
        catch
        {
            foreach (var c in cleanup)
            {
                c.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Fills a new cache with a base: the contents of <c>source</c> (default the root) in the
    /// <c>from</c> stage or image, as BuildKit starts such a cache from that directory. A base
    /// without layers (FROM scratch) gives an empty cache.
    /// </summary>
    private async Task SeedCacheAsync(RunMount m, string dir, CancellationToken cancellationToken)
    {
        var image = await BindImageAsync(m.From!).ConfigureAwait(false);
        if (!Oci.Digest.TryParse(image, out var id) || _job.Images.Inspect(id.Value).Image.DiffIds.Count == 0)
        {
            return;
        }

        var sources = new List<string> { m.Source.Length == 0 ? "/" : m.Source };
        using var context = await FromContextAsync(m.From!, sources, cancellationToken).ConfigureAwait(false);
        var path = context.FullPath(context.Resolve(sources[0]));
        if (!Directory.Exists(path))
        {
            throw WharfException.Invalid($"RUN --mount=type=cache,from={m.From}: {JoinWorkdir("/", m.Source)} is not a directory");
        }

        await CopyTreeAsync(path + "/.", dir, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The mount points the runtime will have to make for a RUN's mounts: each target that is
    /// not in the image, and its missing parents, deepest first (BuildKit's mount stubs, which it
    /// removes after the command when they are still empty). Asked of the created container
    /// before it starts, so they are what the image holds.
    /// </summary>
    private async Task<List<string>> MountStubsAsync(string containerId, IReadOnlyList<MountSpec> specs, CancellationToken cancellationToken)
    {
        var stubs = new List<string>();
        foreach (var target in specs.Select(s => s.Target).Distinct(StringComparer.Ordinal))
        {
            var path = JoinWorkdir("/", target);
            while (path != "/" && !stubs.Contains(path, StringComparer.Ordinal) && !await ExistsInContainerAsync(containerId, path, cancellationToken).ConfigureAwait(false))
            {
                stubs.Add(path);
                path = Path.GetDirectoryName(path) ?? "/";
            }
        }

        // Deepest first, so a stub's stub children are gone before it is tried.
        return [.. stubs.OrderByDescending(p => p.Count(c => c == '/')).ThenBy(p => p, StringComparer.Ordinal)];
    }

    private async Task<bool> ExistsInContainerAsync(string containerId, string path, CancellationToken cancellationToken)
    {
        try
        {
            await _job.Files.StatPathAsync(containerId, path, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (WharfException e) when (e.Kind is ErrorKind.NotFound)
        {
            return false;
        }
        catch (WharfException e) when (e.Kind is ErrorKind.InvalidArgument)
        {
            // A file where a directory was expected is missing too; anything else (a symlink
            // loop) ends the walk as something that exists, as BuildKit's does.
            return !e.Message.Contains("not a directory", StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The host path a bind mount shows: a file or directory of the context (or of a stage or
    /// image, copied out), read-only unless <c>rw</c>, when it is a copy whose changes are thrown away.
    /// </summary>
    private async Task<string> BindSourceAsync(RunMount m, List<IDisposable> cleanup, CancellationToken cancellationToken)
    {
        ContextDir context;
        string rel;
        if (m.From is { } from)
        {
            var sources = new List<string> { m.Source.Length == 0 ? "/" : m.Source };
            context = await FromContextAsync(from, sources, cancellationToken).ConfigureAwait(false);
            cleanup.Add(context);
            rel = context.Resolve(sources[0]);
        }
        else
        {
            context = _job.Context;
            var clean = DockerIgnore.Clean(m.Source.Length == 0 ? "." : m.Source.TrimStart('/'));
            if (clean == ".." || clean.StartsWith("../", StringComparison.Ordinal))
            {
                throw WharfException.Invalid($"RUN --mount: forbidden path outside the build context: {m.Source}");
            }

            rel = context.Resolve(clean);
        }

        var path = context.FullPath(rel);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw WharfException.Invalid($"RUN --mount: failed to compute cache key: \"/{m.Source.TrimStart('/')}\" not found");
        }

        if (m.ReadOnly)
        {
            return path;
        }

        // Writes to a rw bind are seen by this RUN only: it gets its own copy.
        var copy = ContextDir.Empty(_job.NewTempDir());
        cleanup.Add(copy);
        var dest = Path.Combine(copy.Root, "bind");
        await CopyTreeAsync(path, dest, cancellationToken).ConfigureAwait(false);
        return dest;
    }

    private static async Task CopyTreeAsync(string source, string dest, CancellationToken cancellationToken)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("cp") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-a", "--", source, dest })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(psi) ?? throw WharfException.Invalid("RUN --mount: could not run cp");
        using var stderr = process.StandardError; // Process.Dispose leaves it open
        var error = await stderr.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw WharfException.Invalid("RUN --mount: copying the bind source failed: " + error.Trim());
        }
    }

    /// <summary>
    /// The network of a RUN: <c>--network=none</c>, <c>default</c> (the build's), or <c>host</c>,
    /// which BuildKit allows only with the network.host entitlement; here the build must already
    /// run with networkmode=host.
    /// </summary>
    private string RunNetwork(Instruction ins)
    {
        var security = ins.Flag("security");
        if (security is not (null or "sandbox"))
        {
            throw security == "insecure"
                ? WharfException.Invalid("security.insecure is not allowed")
                : WharfException.Invalid($"unsupported security mode \"{security}\"");
        }

        return ins.Flag("network") switch
        {
            null or "default" => _job.Request.NetworkMode,
            "none" => "none",
            "host" => _job.Request.NetworkMode == "host"
                ? "host"
                : throw WharfException.Invalid("network.host is not allowed: RUN --network=host needs a build with networkmode=host"),
            var other => throw WharfException.Invalid($"unsupported network mode \"{other}\""),
        };
    }
}
