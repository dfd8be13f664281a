using System.Globalization;
using System.Text;
using Wharf.Build.Parsing;
using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Wharf.Core.Images;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Build;

/// <summary>
/// Runs one stage's instructions in order, as Docker's legacy builder does: each instruction
/// makes an image (metadata ones with an empty layer), reused from the cache when its key
/// matches. The state is the current image and its config, the ARGs in effect and the SHELL.
/// </summary>
internal sealed partial class StageRunner
{
    internal const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The hostname of build containers; fixed so recorded configs are reproducible.</summary>
    internal const string BuildHostname = "buildkitsandbox";

    private readonly BuildJob _job;
    private readonly Stage _stage;
    private readonly ShellLex _lex;
    private readonly Dictionary<string, string?> _args = new(StringComparer.Ordinal);
    private readonly List<string> _argOrder = [];
    private IReadOnlyList<string> _shell = ["/bin/sh", "-c"];
    private bool _cmdSet;
    private string? _author;

    public StageRunner(BuildJob job, Stage stage)
    {
        _job = job;
        _stage = stage;
        _lex = new ShellLex(job.Dockerfile.EscapeToken);
    }

    public Digest ImageId { get; private set; }

    /// <summary>The current image as written in configs and cache keys: empty on scratch before the first step.</summary>
    private string ImageRef => ImageId == default ? "" : ImageId.Value;

    /// <summary>Whether the current image has a root file system to make containers of (not scratch, not metadata only on scratch).</summary>
    private bool HasLayers => ImageId != default && _job.Images.Inspect(ImageId.Value).Image.DiffIds.Count > 0;

    public ContainerConfig Config { get; private set; } = new();

    /// <summary>Creation time recorded in every image of the build (reproducible IDs).</summary>
    private DateTimeOffset Created => _job.Epoch ?? _baseCreated;

    private DateTimeOffset _baseCreated;

    public async Task RunAsync(IReadOnlyList<Instruction> extra, CancellationToken cancellationToken)
    {
        await FromAsync(cancellationToken).ConfigureAwait(false);
        foreach (var ins in _stage.Instructions.Concat(extra))
        {
            await StepAsync(ins, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask WriteAsync(string text) => _job.WriteAsync(_stage.Index, text);

    private async Task FromAsync(CancellationToken cancellationToken)
    {
        await WriteAsync($"Step {_job.StepNumber(_stage.From)}/{_job.TotalSteps} : {_stage.From.Original}").ConfigureAwait(false);
        await WriteAsync("\n").ConfigureAwait(false);
        var name = _lex.ProcessWord(_stage.BaseName, _job.MetaArgLookup);
        if (name.Length == 0)
        {
            throw WharfException.Invalid($"base name ({_stage.BaseName}) should not be blank");
        }

        var stage = _job.Dockerfile.Stages.Take(_stage.Index).FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        Digest baseId = default;
        if (stage is not null)
        {
            baseId = await _job.StageResultAsync(stage.Index).ConfigureAwait(false);
        }
        else if (!name.Equals("scratch", StringComparison.OrdinalIgnoreCase))
        {
            baseId = _job.Images.Inspect(name).Image.Id;
        }

        if (baseId == default)
        {
            // No base image (scratch, or a stage that is only FROM scratch): an empty root file
            // system and an empty config with the default PATH (Docker's legacy builder sets it
            // for every stage). Times start at the Unix epoch, so such images are reproducible.
            ImageId = default;
            _baseCreated = DateTimeOffset.UnixEpoch;
            Config = new ContainerConfig { Env = [DefaultPath] };
            await WriteAsync(" ---> \n").ConfigureAwait(false);
            return;
        }

        var image = _job.Images.Inspect(baseId.Value).Image;
        ImageId = image.Id;
        _baseCreated = image.Created;
        var config = image.Config.Config ?? new ContainerConfig();
        if (config.Env is null || !config.Env.Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
        {
            config = config with { Env = [DefaultPath, .. config.Env ?? []] };
        }

        Config = config with { Image = image.Id.Value, OnBuild = null };
        if (Config.Shell is { Count: > 0 } shell)
        {
            _shell = shell;
        }

        await WriteAsync($" ---> {image.Id.Short}\n").ConfigureAwait(false);

        // The base's ONBUILD triggers run right after FROM.
        var triggers = image.Config.Config?.OnBuild ?? [];
        if (triggers.Count > 0)
        {
            await WriteAsync($"# Executing {triggers.Count} build trigger{(triggers.Count == 1 ? "" : "s")}\n").ConfigureAwait(false);
            foreach (var trigger in triggers)
            {
                var ins = DockerfileParser.ParseInstruction(trigger, _stage.From.Line, _job.Dockerfile.EscapeToken, allowOnbuild: false);
                await DispatchAsync(ins, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task StepAsync(Instruction ins, CancellationToken cancellationToken)
    {
        await WriteAsync($"Step {_job.StepNumber(ins)}/{_job.TotalSteps} : {ins.Original}").ConfigureAwait(false);
        await WriteAsync("\n").ConfigureAwait(false);
        await DispatchAsync(ins, cancellationToken).ConfigureAwait(false);
    }

    private Task DispatchAsync(Instruction ins, CancellationToken cancellationToken) => ins.Keyword switch
    {
        "run" => RunAsync(ins, cancellationToken),
        "copy" or "add" => CopyAsync(ins, cancellationToken),
        "workdir" => WorkdirAsync(ins, cancellationToken),
        _ => MetadataAsync(ins, cancellationToken),
    };

    /// <summary>Variable lookup: the config's ENV first, then the ARGs in effect.</summary>
    private string? Lookup(string name)
    {
        foreach (var e in Config.Env ?? [])
        {
            if (e.Length > name.Length && e[name.Length] == '=' && e.StartsWith(name, StringComparison.Ordinal))
            {
                return e[(name.Length + 1)..];
            }
        }

        if (_args.TryGetValue(name, out var v))
        {
            return v;
        }

        return BuildJob.Predefined.Contains(name) && _job.Request.BuildArgs.TryGetValue(name, out var p) ? p : null;
    }

    private string Expand(string word) => _lex.ProcessWord(word, Lookup);

    /// <summary>ARGs in effect with a value, sorted: Docker's "|N k=v" prefix of RUN history and the RUN environment.</summary>
    private List<string> ArgEnv()
    {
        var env = new List<string>();
        foreach (var name in _argOrder.Order(StringComparer.Ordinal))
        {
            if (_args[name] is { } v)
            {
                env.Add(name + "=" + v);
            }
        }

        foreach (var name in BuildJob.Predefined.Order(StringComparer.Ordinal))
        {
            if (!_args.ContainsKey(name) && _job.Request.BuildArgs.TryGetValue(name, out var v) && v is not null)
            {
                env.Add(name + "=" + v);
            }
        }

        return env;
    }

    /// <summary>
    /// Looks the step up in the cache; on a hit prints Docker's "Using cache" lines and moves
    /// to the cached image. With cachefrom images, a local hit counts only when it is part of
    /// one of them, and otherwise the step is looked for in their histories (dockerd's legacy
    /// builder): <paramref name="historyCreatedBy"/> is the step's history line and
    /// <paramref name="restore"/> makes the step's image from the source's layer (null: it
    /// added none), exactly as the step would have made it.
    /// </summary>
    private async Task<bool> TryCacheAsync(string key, string? historyCreatedBy = null, Func<Digest?, CancellationToken, Task<Digest>>? restore = null, CancellationToken cancellationToken = default)
    {
        if (_job.Request.NoCache)
        {
            return false;
        }

        var sources = _job.Sources;
        var hit = _job.Cache.Lookup(key, ImageExists, _job.Time.GetUtcNow());
        if (hit is not null && (sources.IsEmpty || sources.Covers(_job.Images.Inspect(hit).Image)))
        {
            await MoveToAsync(Digest.Parse(hit), cached: true).ConfigureAwait(false);
            return true;
        }

        if (sources.IsEmpty || historyCreatedBy is null || restore is null)
        {
            return false;
        }

        var parent = ImageId == default ? null : _job.Images.Inspect(ImageId.Value).Image;
        if (sources.Find(parent, historyCreatedBy) is not { } match || (match.Layer is { } layer && _job.Content?.Exists(layer) != true))
        {
            return false;
        }

        var id = match.Last ? match.Source.Id : await restore(match.Layer, cancellationToken).ConfigureAwait(false);
        _job.Cache.Store(key, id.Value, historyCreatedBy, 0, _job.Time.GetUtcNow());
        await MoveToAsync(id, cached: true).ConfigureAwait(false);
        return true;
    }

    /// <summary>Writes a cache source's layer (or an empty tar when the step added none) as a step's layer.</summary>
    private Func<Stream, CancellationToken, Task> SourceLayer(Digest? layer) => async (output, ct) =>
    {
        if (layer is not { } diffId)
        {
            await WriteEmptyLayerAsync(output, ct).ConfigureAwait(false);
            return;
        }

        var blob = _job.Content!.OpenRead(diffId);
        await using (blob.ConfigureAwait(false))
        {
            await blob.CopyToAsync(output, ct).ConfigureAwait(false);
        }
    };

    /// <summary>
    /// Restores a RUN, COPY, ADD or WORKDIR step from a cache source: a container made as the step
    /// makes it (so the image records the same container config), committed with the source's
    /// layer in place of the container's changes.
    /// </summary>
    private async Task<Digest> RestoreInContainerAsync(ContainerConfig config, string createdBy, Digest? layer, CancellationToken cancellationToken)
    {
        var id = await CreateContainerAsync(config, cancellationToken).ConfigureAwait(false);
        try
        {
            var rec = _job.Containers.Inspect(id);
            var request = new ImageCommitRequest
            {
                ParentImageId = rec.ImageId,
                ContainerId = "",
                ContainerConfig = rec.Config,
                FinalConfig = Config with { Image = ImageRef },
                CreatedBy = createdBy,
                Created = Created,
                Author = _author,
            };
            return await _job.Committer.CommitAsync(request, SourceLayer(layer), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await RemoveContainerAsync(id).ConfigureAwait(false);
        }
    }

    private bool ImageExists(string id)
    {
        try
        {
            _job.Images.Inspect(id);
            return true;
        }
        catch (WharfException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }

    private async Task MoveToAsync(Digest id, bool cached)
    {
        if (cached)
        {
            await WriteAsync(" ---> Using cache\n").ConfigureAwait(false);
            // The cached image's config is what the step produced (ENV, CMD, ...).
            Config = _job.Images.Inspect(id.Value).Image.Config.Config ?? Config;
        }

        ImageId = id;
        await WriteAsync($" ---> {id.Short}\n").ConfigureAwait(false);
    }

    /// <summary>Commits a step's container (RUN, COPY, ADD, WORKDIR) as the next image and remembers it in the cache.</summary>
    private async Task<Digest> CommitStepAsync(string containerId, string key, string createdBy, IReadOnlyList<string>? mountStubs, CancellationToken cancellationToken)
    {
        var request = new Core.Containers.Files.ContainerCommitRequest
        {
            Container = containerId,
            Pause = false,
            FinalConfig = Config with { Image = ImageRef },
            CreatedBy = createdBy,
            Created = Created,
            LayerTimesLimit = Created,
            RecordContainer = false,
            Author = _author,
            MountStubs = mountStubs ?? [],
        };
        var image = await _job.Files.CommitAsync(request, cancellationToken).ConfigureAwait(false);
        _job.Cache.Store(key, image.Value, createdBy, 0, _job.Time.GetUtcNow());
        return image;
    }

    /// <summary>Commits a config-only step: an image with an empty layer and one more history entry.</summary>
    private async Task CommitMetadataAsync(string key, string createdBy, ContainerConfig next, CancellationToken cancellationToken)
    {
        var id = await CommitMetadataImageAsync(createdBy, next, cancellationToken).ConfigureAwait(false);
        _job.Cache.Store(key, id.Value, createdBy, 0, _job.Time.GetUtcNow());
        Config = next with { Image = ImageRef };
        await MoveToAsync(id, cached: false).ConfigureAwait(false);
    }

    /// <summary>The history line of a config-only step.</summary>
    private string MetadataHistory(string createdBy) => string.Join(' ', [.. _shell, "#(nop) ", createdBy]);

    private async Task<Digest> CommitMetadataImageAsync(string createdBy, ContainerConfig next, CancellationToken cancellationToken)
    {
        var final = next with { Image = ImageRef };
        var request = new ImageCommitRequest
        {
            ParentImageId = ImageId,
            ContainerId = "",
            ContainerConfig = final with { Cmd = [.. _shell, "#(nop) ", createdBy] },
            FinalConfig = final,
            CreatedBy = MetadataHistory(createdBy),
            Created = Created,
            Author = _author,
        };
        return await _job.Committer.CommitAsync(request, WriteEmptyLayerAsync, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteEmptyLayerAsync(Stream output, CancellationToken cancellationToken)
        => await output.WriteAsync(new byte[1024], cancellationToken).ConfigureAwait(false);

    /// <summary>Go's %q of a string slice inside brackets: <c>["cat" "/app/out.txt"]</c>.</summary>
    internal static string GoQuoted(IEnumerable<string> items)
    {
        var sb = new StringBuilder("[");
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                sb.Append(' ');
            }

            first = false;
            sb.Append('"');
            foreach (var c in item)
            {
                sb.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\t' => "\\t",
                    '\r' => "\\r",
                    _ when c < ' ' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                    _ => c.ToString(),
                });
            }

            sb.Append('"');
        }

        return sb.Append(']').ToString();
    }

    /// <summary>Joins a relative path to the working directory and cleans it (always absolute).</summary>
    internal static string JoinWorkdir(string workdir, string path)
    {
        var full = path.StartsWith('/') ? path : (workdir.Length == 0 ? "/" : workdir) + "/" + path;
        var parts = new List<string>();
        foreach (var p in full.Split('/'))
        {
            if (p.Length == 0 || p == ".")
            {
                continue;
            }

            if (p == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(p);
        }

        return "/" + string.Join('/', parts);
    }
}
