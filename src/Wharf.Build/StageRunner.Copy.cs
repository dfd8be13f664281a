using System.Globalization;
using System.Text.RegularExpressions;
using Wharf.Build.Parsing;
using Wharf.Core.Containers.Files;
using Wharf.Core.Errors;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Build;

internal sealed partial class StageRunner
{
    private async Task CopyAsync(Instruction ins, CancellationToken cancellationToken)
    {
        var upper = ins.Keyword.ToUpperInvariant();
        var dest = Expand(ins.Args[^1]);
        var destDirWanted = dest.EndsWith('/') || dest == "." || dest.EndsWith("/.", StringComparison.Ordinal);
        var destPath = JoinWorkdir(Config.WorkingDir, dest);
        var chown = ins.Flag("chown") is { } c ? Expand(c) : null;
        UnixFileMode? chmod = null;
        if (ins.Flag("chmod") is { } m)
        {
            try
            {
                chmod = (UnixFileMode)Convert.ToInt32(Expand(m), 8);
            }
            catch (FormatException e)
            {
                throw WharfException.Invalid($"invalid chmod parameter: {m}", e);
            }
        }

        var sources = ins.Args.Take(ins.Args.Count - 1).Select(Expand).ToList();
        ContextDir context;
        var ownContext = false;
        var remote = false;
        if (ins.Heredocs.Count > 0)
        {
            context = await HeredocContextAsync(ins, cancellationToken).ConfigureAwait(false);
            ownContext = true;
            sources = [.. ins.Heredocs.Select(h => h.Name)];
        }
        else if (ins.Flag("from") is { } from)
        {
            if (ins.Keyword == "add")
            {
                throw WharfException.Invalid("ADD does not support --from");
            }

            context = await FromContextAsync(Expand(from), sources, cancellationToken).ConfigureAwait(false);
            ownContext = true;
        }
        else if (ins.Keyword == "add" && sources.Any(RemoteDownloader.IsUrl))
        {
            if (!sources.All(RemoteDownloader.IsUrl))
            {
                throw WharfException.NotImplemented("ADD of URLs together with local sources is not supported by Wharf builds yet");
            }

            context = await DownloadContextAsync(ins, sources, destDirWanted, cancellationToken).ConfigureAwait(false);
            ownContext = true;
            remote = true;
        }
        else
        {
            if (ins.Flag("checksum") is not null)
            {
                throw WharfException.Invalid("checksum can't be specified for non-HTTP(S) sources");
            }

            context = _job.Context;
        }

        try
        {
            // --link makes the same files as a plain COPY (BuildKit builds the layer apart from
            // its base, which only changes how it is cached and rebased there), so it copies as COPY.
            var parents = ins.Keyword == "copy" && ins.HasFlag("parents") && ins.Flag("parents") is null or "true";
            var plan = CopyPlan.Create(context, sources, ins.FlagValues("exclude"), upper, parents);
            if (plan.Count > 1 && !destDirWanted)
            {
                throw WharfException.Invalid($"When using {upper} with more than one source file, the destination must be a directory and end with a /");
            }

            // Downloads are never unpacked (Docker's rule for remote sources).
            var archives = ins.Keyword == "add" && !remote ? Enumerable.Range(0, plan.Count).Where(i => !plan.IsDirectory(i) && IsArchive(plan.FullPath(i))).ToHashSet() : [];
            // dockerd writes the --chown flag as given and, as it always has, with no space before the sum.
            var chownShown = ins.Flag("chown") is { Length: > 0 } chownFlag ? "--chown=" + chownFlag : "";
            var createdBy = $"{string.Join(' ', _shell)} #(nop) {upper} {(parents ? "--parents " : "")}{chownShown}{plan.Kind}:{plan.Checksum} in {dest} ";
            var key = BuildCache.Key(ImageRef, createdBy, $"copy\nchown={chown}\nchmod={(chmod is { } cm ? ((int)cm).ToString(CultureInfo.InvariantCulture) : "")}\narchives={string.Join(',', archives)}\nparents={parents}");
            if (await TryCacheAsync(key, createdBy, (layer, ct) => RestoreApplyAsync(createdBy, chown, layer, ct), cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            if (!HasLayers)
            {
                var owner = ScratchOwner(chown);
                var emptyDestIsDir = destDirWanted || destPath == "/" || plan.Count > 1 || (plan.Count == 1 && plan.IsDirectory(0)) || archives.Count > 0 || parents;
                var dirs = AllDirs(emptyDestIsDir ? destPath : Parent(destPath));
                if (parents)
                {
                    dirs.AddRange(plan.ParentDirs(destPath).Where(d => !dirs.Contains(d, StringComparer.Ordinal)));
                }

                var emptyTargets = Targets(plan, archives, destPath, emptyDestIsDir);
                await CommitLayerAsync(key, createdBy, (s, t) => WriteScratchLayerAsync(s, plan, dirs, emptyTargets, archives, destPath, chmod, owner, t), cancellationToken).ConfigureAwait(false);
                return;
            }

            await ApplyInContainerAsync(key, createdBy, chown, async (id, ct) =>
            {
                var destIsDir = destDirWanted || plan.Count > 1 || (plan.Count == 1 && plan.IsDirectory(0)) || archives.Count > 0 || parents;
                var existing = await StatAsync(id, destPath, ct).ConfigureAwait(false);
                if (existing is { IsDirectory: true } || existing is { IsSymlink: true })
                {
                    destIsDir = true;
                }

                var dirToEnsure = destIsDir ? destPath : Parent(destPath);
                var missing = await MissingDirsAsync(id, dirToEnsure, ct).ConfigureAwait(false);
                foreach (var dir in plan.Parents ? plan.ParentDirs(destPath) : [])
                {
                    if (!missing.Contains(dir, StringComparer.Ordinal) && await StatAsync(id, "/" + dir, ct).ConfigureAwait(false) is null)
                    {
                        missing.Add(dir);
                    }
                }

                var targets = Targets(plan, archives, destPath, destIsDir);

                // Entries of a copied directory land below its target; the target itself is only created when missing.
                await ExtractAsync(id, "/", (s, t) => plan.WriteTarAsync(s, missing, targets, chmod, Created, t), chown is not null, ct).ConfigureAwait(false);
                foreach (var i in archives.Order())
                {
                    var file = File.OpenRead(plan.FullPath(i));
                    await using (file.ConfigureAwait(false))
                    {
                        await _job.Files.ExtractArchiveAsync(id, destPath, file, noOverwriteDirNonDir: false, copyUidGid: chown is not null, ct).ConfigureAwait(false);
                    }
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ownContext)
            {
                context.Dispose();
            }
        }
    }

    private async Task WorkdirAsync(Instruction ins, CancellationToken cancellationToken)
    {
        var path = JoinWorkdir(Config.WorkingDir, Expand(ins.Args[0]));
        Config = Config with { WorkingDir = path };
        var createdBy = $"{string.Join(' ', _shell)} #(nop) WORKDIR {path}";
        var key = BuildCache.Key(ImageRef, createdBy, "workdir");
        if (await TryCacheAsync(key, createdBy, (layer, ct) => RestoreApplyAsync(createdBy, null, layer, ct), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (!HasLayers)
        {
            var dirs = AllDirs(path);
            await CommitLayerAsync(key, createdBy, (s, t) => CopyPlan.WriteDirsAsync(s, dirs, Created, t), cancellationToken).ConfigureAwait(false);
            return;
        }

        await ApplyInContainerAsync(key, createdBy, null, async (id, ct) =>
        {
            var missing = await MissingDirsAsync(id, path, ct).ConfigureAwait(false);
            if (missing.Count > 0)
            {
                await ExtractAsync(id, "/", (s, t) => CopyPlan.WriteDirsAsync(s, missing, Created, t), copyUidGid: false, ct).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes a container of the current image (never started), lets <paramref name="apply"/>
    /// write into its file system, commits it with the history line and removes it.
    /// </summary>
    private async Task ApplyInContainerAsync(string key, string createdBy, string? user, Func<string, CancellationToken, Task> apply, CancellationToken cancellationToken)
    {
        var id = await CreateContainerAsync(ApplyConfig(createdBy, user), cancellationToken).ConfigureAwait(false);
        try
        {
            await apply(id, cancellationToken).ConfigureAwait(false);
            var image = await CommitStepAsync(id, key, createdBy, null, cancellationToken).ConfigureAwait(false);
            await MoveToAsync(image, cached: false).ConfigureAwait(false);
        }
        finally
        {
            await RemoveContainerAsync(id).ConfigureAwait(false);
        }
    }

    /// <summary>The config of the never-started container a COPY, ADD or WORKDIR writes into.</summary>
    private ContainerConfig ApplyConfig(string createdBy, string? user) => Config with
    {
        Image = ImageId.Value,
        Hostname = BuildHostname,
        Cmd = [.. _shell, createdBy],
        Entrypoint = [],
        User = user ?? "",
        Healthcheck = null,
        Volumes = null,
    };

    /// <summary>
    /// Restores a COPY, ADD or WORKDIR step from a cache source: on an image with layers through
    /// a container as the step makes one, on an empty root as a layer committed directly.
    /// </summary>
    private Task<Digest> RestoreApplyAsync(string createdBy, string? user, Digest? layer, CancellationToken cancellationToken)
        => HasLayers
            ? RestoreInContainerAsync(ApplyConfig(createdBy, user), createdBy, layer, cancellationToken)
            : CommitLayerImageAsync(createdBy, SourceLayer(layer), clampTimes: false, cancellationToken);

    private async Task ExtractAsync(string id, string path, Func<Stream, CancellationToken, Task> write, bool copyUidGid, CancellationToken cancellationToken)
    {
        var (pipe, producer) = Wharf.Oci.IO.WriterPipe.Start(write, cancellationToken);
        var reading = pipe.Reader.AsStream();
        try
        {
            await _job.Files.ExtractArchiveAsync(id, path, reading, noOverwriteDirNonDir: false, copyUidGid, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException)
            {
                // The reader stopped first; its error is the one that counts.
            }
        }
    }

    private async Task<ContainerPathStat?> StatAsync(string id, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await _job.Files.StatPathAsync(id, path, cancellationToken).ConfigureAwait(false);
        }
        catch (WharfException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>The directories from the first missing ancestor of <paramref name="dir"/> down to it (relative names).</summary>
    private async Task<List<string>> MissingDirsAsync(string id, string dir, CancellationToken cancellationToken)
    {
        var parts = dir.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var missing = new List<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            var rel = string.Join('/', parts.Take(i + 1));
            if (missing.Count == 0)
            {
                var stat = await StatAsync(id, "/" + rel, cancellationToken).ConfigureAwait(false);
                if (stat is not null)
                {
                    if (!stat.IsDirectory && !stat.IsSymlink)
                    {
                        throw WharfException.Invalid($"failed to copy files: mkdir /{rel}: not a directory");
                    }

                    continue;
                }
            }

            missing.Add(rel);
        }

        return missing;
    }

    private static string Parent(string path)
    {
        var i = path.TrimEnd('/').LastIndexOf('/');
        return i <= 0 ? "/" : path[..i];
    }

    /// <summary>Tar (by its header) or a compressed stream Docker's ADD unpacks.</summary>
    private static bool IsArchive(string path)
    {
        var head = new byte[512];
        int n;
        using (var f = File.OpenRead(path))
        {
            n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (n >= 3 && ((head[0] == 0x1f && head[1] == 0x8b) || (head[0] == 'B' && head[1] == 'Z' && head[2] == 'h')))
        {
            return true;
        }

        if (n >= 6 && head[0] == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z' && head[5] == 0)
        {
            return true;
        }

        return n >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a' && head[261] == 'r';
    }

    /// <summary>ADD's download progress, as the legacy builder streams it ("Downloading" with the figures and the bar).</summary>
    private ValueTask ReportDownloadAsync(long current, long total)
        => _job.Request.Quiet ? ValueTask.CompletedTask : _job.WriteOutputAsync(_stage.Index, new Core.Build.BuildOutput(null) { Status = "Downloading", Current = current, Total = total });

    /// <summary>
    /// ADD's URLs downloaded into a private context (the build's own temp area), each named as
    /// Docker names it, checked against <c>--checksum</c> when given.
    /// </summary>
    private async Task<ContextDir> DownloadContextAsync(Instruction ins, List<string> sources, bool destDirWanted, CancellationToken cancellationToken)
    {
        var checksum = ins.Flag("checksum") is { } c ? Expand(c) : null;
        if (checksum is not null && !checksum.StartsWith("sha256:", StringComparison.Ordinal))
        {
            throw WharfException.Invalid($"invalid checksum digest format: {checksum}: only sha256 is supported");
        }

        var dir = ContextDir.Empty(_job.NewTempDir());
        try
        {
            for (var i = 0; i < sources.Count; i++)
            {
                var url = sources[i];
                var (path, name, sha) = await _job.Downloader.DownloadAsync(url, dir.Root, ReportDownloadAsync, cancellationToken).ConfigureAwait(false);

                // The legacy builder ends the progress lines with a newline of its own.
                await WriteAsync("\n").ConfigureAwait(false);
                if (checksum is not null && !string.Equals(checksum, sha, StringComparison.OrdinalIgnoreCase))
                {
                    throw WharfException.Invalid($"ADD failed: digest mismatch {sha}: {checksum}");
                }

                if (name.Length == 0)
                {
                    if (destDirWanted)
                    {
                        throw WharfException.Invalid($"ADD failed: cannot determine filename for source {url}");
                    }

                    name = "download";
                }

                File.Move(path, Path.Combine(dir.Root, name), overwrite: true);
                sources[i] = name;
            }

            return dir;
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>A private context holding COPY's here-documents as files (unquoted delimiters get $var substitution).</summary>
    private async Task<ContextDir> HeredocContextAsync(Instruction ins, CancellationToken cancellationToken)
    {
        var dir = ContextDir.Empty(_job.NewTempDir());
        foreach (var doc in ins.Heredocs)
        {
            var content = doc.Expand ? HeredocVar().Replace(doc.Content, m => Lookup(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) ?? "") : doc.Content;
            var path = Path.Combine(dir.Root, doc.Name);
            await File.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.SetLastWriteTimeUtc(path, Created.UtcDateTime);
        }

        return dir;
    }

    /// <summary>
    /// COPY --from: the named stage (or index, or image) is made a container, the sources are
    /// archived out of it into a private context at their own paths.
    /// </summary>
    private async Task<ContextDir> FromContextAsync(string from, List<string> sources, CancellationToken cancellationToken)
    {
        string image;
        var stage = _job.Dockerfile.Stages.Take(_stage.Index).FirstOrDefault(s => string.Equals(s.Name, from, StringComparison.OrdinalIgnoreCase));
        if (stage is null && int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            if (index >= _stage.Index)
            {
                throw WharfException.Invalid($"invalid from flag value {from}: refers to current or future build stage");
            }

            stage = _job.Dockerfile.Stages[index];
        }

        if (stage is not null)
        {
            image = (await _job.StageResultAsync(stage.Index).ConfigureAwait(false)).Value;
        }
        else
        {
            image = _job.Images.Inspect(from).Image.Id.Value;
        }

        // A stage or image without layers (FROM scratch and metadata only) holds no files.
        if (!Digest.TryParse(image, out var imageId) || _job.Images.Inspect(imageId.Value).Image.DiffIds.Count == 0)
        {
            throw WharfException.Invalid($"COPY failed: stat {JoinWorkdir("/", sources[0])}: file does not exist");
        }

        var dir = ContextDir.Empty(_job.NewTempDir());
        try
        {
            var config = new ContainerConfig { Image = image, Hostname = BuildHostname, Cmd = ["/bin/sh", "-c", "#(nop) COPY --from"], Entrypoint = [] };
            var id = await CreateContainerAsync(config, cancellationToken).ConfigureAwait(false);
            try
            {
                for (var i = 0; i < sources.Count; i++)
                {
                    var src = JoinWorkdir("/", sources[i]);
                    var parent = Parent(src).Trim('/');
                    IArchiveSource archive;
                    try
                    {
                        archive = await _job.Files.OpenArchiveAsync(id, src, cancellationToken).ConfigureAwait(false);
                    }
                    catch (WharfException e) when (e.Kind == ErrorKind.NotFound)
                    {
                        throw WharfException.Invalid($"COPY failed: stat {src}: file does not exist", e);
                    }

                    await using (archive.ConfigureAwait(false))
                    {
                        var (pipe, producer) = Wharf.Oci.IO.WriterPipe.Start(archive.WriteToAsync, cancellationToken);
                        var reading = pipe.Reader.AsStream();
                        await using (reading.ConfigureAwait(false))
                        {
                            await dir.ExtractIntoAsync(reading, parent, cancellationToken).ConfigureAwait(false);
                        }

                        try
                        {
                            await producer.ConfigureAwait(false);
                        }
                        catch (Exception)
                        {
                            // A failed writer completed the pipe with its error, which the reader
                            // met; the reader's outcome is the one that counts.
                        }
                    }

                    sources[i] = src.TrimStart('/');
                    if (sources[i].Length == 0)
                    {
                        sources[i] = ".";
                    }
                }
            }
            finally
            {
                await RemoveContainerAsync(id).ConfigureAwait(false);
            }

            return dir;
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    [GeneratedRegex(@"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex HeredocVar();
}
