using System.Text;
using Microsoft.Extensions.Logging;
using Wharf.Build.Parsing;
using Wharf.Core.Build;
using Wharf.Core.Containers;
using Wharf.Core.Content;
using Wharf.Core.Errors;
using Wharf.Core.Images;
using Wharf.Oci;
using Wharf.Oci.References;

namespace Wharf.Build;

/// <summary>
/// Dockerfile builds over the engine's role interfaces: RUN steps are containers, COPY/ADD and
/// WORKDIR write into never-started containers, every step is committed through the image
/// committer (the same path as <c>docker commit</c>). Stages the target needs are built,
/// independent ones in parallel; their output is kept in Dockerfile order.
/// </summary>
public sealed partial class BuildService : IBuildService
{
    private readonly string _tempRoot;
    private readonly BuildServices _services;
    private readonly ILogger<BuildService> _logger;

    public BuildService(string root, IImageService images, IImageCommitter committer, IContainerService containers, IContainerFiles files, TimeProvider time, ILogger<BuildService> logger, IContentStore? content = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        _tempRoot = Path.Combine(root, "tmp");
        _logger = logger;
        // Whatever a killed daemon left half-unpacked is of no use.
        if (Directory.Exists(_tempRoot))
        {
            Directory.Delete(_tempRoot, recursive: true);
        }

        Directory.CreateDirectory(_tempRoot);
        _services = new BuildServices(images, committer, containers, files, new BuildCache(Path.Combine(root, "cache")), time, content, new CacheMounts(Path.Combine(root, "mounts")));
    }

    /// <summary>Downloads ADD's URLs: 1 GiB cap, 60 s stall timeout, 10 redirects; tests set smaller limits.</summary>
    internal RemoteDownloader Downloader { get; set; } = new();

    /// <summary>Fetches contexts given by URL or git repository (limits configurable for tests).</summary>
    internal RemoteContext Remote { get; set; } = new() { Downloader = new RemoteDownloader { ErrorPrefix = "unable to prepare context" } };

    public async Task<Digest> BuildAsync(BuildRequest request, Stream context, Func<BuildOutput, ValueTask> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        var tags = request.Tags.Select(ParseTag).ToList();
        var tmp = Path.Combine(_tempRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(tmp);
        BuildJob? job = null;
        try
        {
            ContextDir ctx;
            string? dockerfileText = null;
            if (request.Remote is { Length: > 0 } remote)
            {
                (ctx, dockerfileText) = await Remote.FetchAsync(remote, tmp, Path.Combine(tmp, "context"), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                ctx = await ContextDir.ExtractAsync(context, Path.Combine(tmp, "context"), cancellationToken).ConfigureAwait(false);
            }

            using var ownedContext = ctx;
            var dockerfile = dockerfileText is not null ? DockerfileParser.Parse(dockerfileText) : ReadDockerfile(ctx, request.Dockerfile);
            var target = request.Target is { Length: > 0 } t
                ? dockerfile.FindStage(t) ?? throw WharfException.Invalid($"failed to reach build target {t} in Dockerfile")
                : dockerfile.Stages[^1];
            var order = NeededStages(dockerfile, target);
            var extra = LabelInstructions(request);
            job = new BuildJob(request, dockerfile, ctx, tmp, _services, order, output) { Downloader = Downloader, Sources = CacheSourcesOf(request) };
            job.AddSteps(extra);
            var id = await RunStagesAsync(job, order, target, extra, cancellationToken).ConfigureAwait(false);

            if (job.UnusedArgs() is { Count: > 0 } unused && !request.Quiet)
            {
                await output(new BuildOutput($"[Warning] One or more build-args [{string.Join(' ', unused)}] were not consumed\n")).ConfigureAwait(false);
            }

            if (request.Quiet)
            {
                await output(new BuildOutput(id.Value + "\n")).ConfigureAwait(false);
            }
            else
            {
                await output(new BuildOutput(null, id.Value)).ConfigureAwait(false);
                await output(new BuildOutput($"Successfully built {id.Short}\n")).ConfigureAwait(false);
            }

            foreach (var (repository, tag, shown) in tags)
            {
                await _services.Images.TagAsync(id.Value, repository, tag, cancellationToken).ConfigureAwait(false);
                if (!request.Quiet)
                {
                    await output(new BuildOutput($"Successfully tagged {shown}\n")).ConfigureAwait(false);
                }
            }

            return id;
        }
        finally
        {
            if (job is not null)
            {
                foreach (var container in job.TrackedContainers)
                {
                    try
                    {
                        await _services.Containers.RemoveAsync(container, force: true, volumes: true, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (WharfException e)
                    {
                        LogRemoveFailed(_logger, container, e.Message);
                    }
                }
            }

            try
            {
                Directory.Delete(tmp, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<Digest> RunStagesAsync(BuildJob job, IReadOnlyList<int> order, Stage target, IReadOnlyList<Instruction> extra, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = order.Select(index => Task.Run(async () =>
        {
            try
            {
                var runner = new StageRunner(job, job.Dockerfile.Stages[index]);
                await runner.RunAsync(index == target.Index ? extra : [], cts.Token).ConfigureAwait(false);
                job.SetStageResult(index, runner.ImageId);
                await job.StageDoneAsync(index).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                job.FailStage(index, e);
                await cts.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, CancellationToken.None)).ToList();

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            await job.FlushAsync().ConfigureAwait(false);

            // The first real failure, not the cancellations it caused in other stages.
            var failures = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).ToList();
            var first = failures.FirstOrDefault(e => e is not OperationCanceledException) ?? failures.FirstOrDefault();
            if (first is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
            }

            throw;
        }

        var result = await job.StageResultAsync(target.Index).ConfigureAwait(false);
        if (result == default)
        {
            // A target that is only FROM scratch made no image (Docker's legacy builder says so).
            throw WharfException.Invalid("No image was generated. Is your Dockerfile empty?");
        }

        return result;
    }

    private static Dockerfile ReadDockerfile(ContextDir ctx, string name)
    {
        var clean = DockerIgnore.Clean(string.IsNullOrEmpty(name) ? "Dockerfile" : name);
        if (clean.StartsWith("..", StringComparison.Ordinal))
        {
            throw WharfException.Invalid($"Forbidden path outside the build context: {name} ()");
        }

        var rel = ctx.Resolve(clean);
        var path = ctx.FullPath(rel);
        if (!File.Exists(path))
        {
            throw WharfException.Invalid($"Cannot locate specified Dockerfile: {name}");
        }

        var text = File.ReadAllText(path, Encoding.UTF8);
        var dockerfile = DockerfileParser.Parse(text);

        // Docker removes the Dockerfile and .dockerignore from the context when .dockerignore
        // names them (the client sent them anyway, so the daemon could read them).
        var ignorePath = ctx.FullPath(".dockerignore");
        if (File.Exists(ignorePath) && new FileInfo(ignorePath).LinkTarget is null)
        {
            var ignore = DockerIgnore.Parse(File.ReadAllText(ignorePath));
            if (ignore.Excludes(rel))
            {
                ctx.Remove(rel);
            }

            if (ignore.Excludes(".dockerignore"))
            {
                ctx.Remove(".dockerignore");
            }
        }

        return dockerfile;
    }

    /// <summary>
    /// The cachefrom images this daemon has; like dockerd, a name it does not know is skipped
    /// (the daemon's log says so) rather than failing the build.
    /// </summary>
    private CacheSources CacheSourcesOf(BuildRequest request)
    {
        var found = new List<ImageRecord>();
        foreach (var name in request.CacheFrom.Where(n => n.Length > 0).Distinct(StringComparer.Ordinal))
        {
            try
            {
                found.Add(_services.Images.Inspect(name).Image);
            }
            catch (WharfException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.InvalidArgument)
            {
                LogCacheSourceSkipped(_logger, name, e.Message);
            }
        }

        return found.Count == 0 ? CacheSources.None : new CacheSources(found);
    }

    /// <summary>The target and every stage it needs (FROM a stage, COPY --from), in file order.</summary>
    internal static List<int> NeededStages(Dockerfile dockerfile, Stage target)
    {
        var needed = new SortedSet<int>();
        var pending = new Stack<int>();
        pending.Push(target.Index);
        while (pending.Count > 0)
        {
            var index = pending.Pop();
            if (!needed.Add(index))
            {
                continue;
            }

            var stage = dockerfile.Stages[index];
            var refs = new List<string> { stage.BaseName };
            refs.AddRange(stage.Instructions.Where(i => i.Keyword == "copy").Select(i => i.Flag("from")).Where(f => f is not null)!);
            refs.AddRange(stage.Instructions.Where(i => i.Keyword == "run").SelectMany(i => i.FlagValues("mount")).SelectMany(MountFroms));
            foreach (var r in refs)
            {
                if (r.Contains('$', StringComparison.Ordinal))
                {
                    // Names built from ARGs are only known while building: keep every earlier stage.
                    for (var k = 0; k < index; k++)
                    {
                        pending.Push(k);
                    }

                    continue;
                }

                var dep = dockerfile.Stages.Take(index).FirstOrDefault(s => string.Equals(s.Name, r, StringComparison.OrdinalIgnoreCase));
                if (dep is not null)
                {
                    pending.Push(dep.Index);
                }
                else if (int.TryParse(r, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) && k < index)
                {
                    pending.Push(k);
                }
            }
        }

        return [.. needed];
    }

    /// <summary>The <c>from=</c> of a RUN --mount (unexpanded; a stage or an image).</summary>
    private static IEnumerable<string> MountFroms(string mount)
        => mount.Split(',').Select(f => f.Trim().Trim('"')).Where(f => f.StartsWith("from=", StringComparison.OrdinalIgnoreCase)).Select(f => f[5..]);

    /// <summary>The labels parameter becomes a LABEL step at the end, as Docker's legacy builder adds it.</summary>
    private static List<Instruction> LabelInstructions(BuildRequest request)
    {
        if (request.Labels.Count == 0)
        {
            return [];
        }

        var args = new List<string>();
        var shown = new List<string>();
        foreach (var (k, v) in request.Labels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            args.Add(Quote(k));
            args.Add(Quote(v));
            shown.Add(Quote(k) + "=" + Quote(v));
        }

        return [new Instruction { Keyword = "label", Line = 0, Original = "LABEL " + string.Join(' ', shown), Args = args }];
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("$", "\\$", StringComparison.Ordinal) + "\"";

    private static (string Repository, string? Tag, string Shown) ParseTag(string reference)
    {
        try
        {
            var named = ImageReference.ParseNormalizedNamed(reference);
            _ = named;
        }
        catch (FormatException e)
        {
            throw WharfException.Invalid($"invalid reference format: {reference}", e);
        }

        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        if (reference.Contains('@', StringComparison.Ordinal))
        {
            throw WharfException.Invalid($"invalid reference format: {reference}");
        }

        return colon > slash
            ? (reference[..colon], reference[(colon + 1)..], reference)
            : (reference, "latest", reference + ":latest");
    }

    /// <summary>The cache's steps with their real sizes: the bytes each step's layer adds (0 for metadata steps).</summary>
    public IReadOnlyList<BuildCacheRecord> ListCache()
    {
        var own = OwnSizes();
        return [.. _services.Cache.List().Select(r => r with { Size = own.GetValueOrDefault(r.ImageId) }), .. _services.CacheMounts.List()];
    }

    /// <summary>
    /// Forgets every cached step and removes the step images only the cache held (untagged, no
    /// container, no child image; a removed image's untagged parents go with it, as with rmi).
    /// The space reclaimed is the size of the layers of the images removed.
    /// </summary>
    public async Task<(IReadOnlyList<string> Deleted, long SpaceReclaimed)> PruneCacheAsync(bool all, CancellationToken cancellationToken)
    {
        var own = OwnSizes();
        var records = _services.Cache.List();
        var deleted = new List<string>();
        foreach (var rec in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _services.Cache.Remove(rec.Id);
            deleted.Add(rec.Id);
        }

        long reclaimed = 0;
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rec in records.OrderByDescending(r => r.CreatedAt))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (removed.Contains(rec.ImageId) || !CacheOnly(rec.ImageId))
            {
                continue;
            }

            IReadOnlyList<ImageDeleteItem> items;
            try
            {
                items = await _services.Images.RemoveAsync(rec.ImageId, force: false, noPrune: false, cancellationToken).ConfigureAwait(false);
            }
            catch (WharfException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.NotFound)
            {
                // In use since the check, or gone with an image removed before it.
                continue;
            }

            foreach (var id in items.Select(i => i.Deleted).OfType<string>())
            {
                if (removed.Add(id))
                {
                    reclaimed += own.GetValueOrDefault(id);
                }
            }
        }

        var (mounts, mountBytes) = _services.CacheMounts.Prune();
        deleted.AddRange(mounts);
        return (deleted, reclaimed + mountBytes);
    }

    /// <summary>Untagged and unused by containers: an image nothing but the cache keeps.</summary>
    private bool CacheOnly(string imageId)
    {
        try
        {
            var view = _services.Images.Inspect(imageId);
            return view.RepoTags.Count == 0 && view.RepoDigests.Count == 0 && view.Containers == 0;
        }
        catch (WharfException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }

    /// <summary>Every image's own bytes: its size beyond its parent's when it adds a layer on it, else 0.</summary>
    private Dictionary<string, long> OwnSizes()
    {
        var images = _services.Images.List(all: true, Core.Filters.FilterSet.Empty).Select(v => v.Image).ToDictionary(i => i.Id.Value, StringComparer.Ordinal);
        var own = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var image in images.Values)
        {
            own[image.Id.Value] = OwnSize(image, image.Parent is { } p ? images.GetValueOrDefault(p.Value) : null);
        }

        return own;
    }

    internal static long OwnSize(ImageRecord image, ImageRecord? parent)
    {
        if (parent is null)
        {
            return image.Parent is null ? image.Size : 0;
        }

        var addsLayers = image.DiffIds.Count > parent.DiffIds.Count && parent.DiffIds.SequenceEqual(image.DiffIds.Take(parent.DiffIds.Count));
        return addsLayers ? Math.Max(0, image.Size - parent.Size) : 0;
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "build: could not look up {Name} for cache resolution, skipping: {Reason}")]
    private static partial void LogCacheSourceSkipped(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "build: could not remove container {Container}: {Reason}")]
    private static partial void LogRemoveFailed(ILogger logger, string container, string reason);
}
