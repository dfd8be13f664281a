using System.Collections.Concurrent;
using Wharf.Build.Parsing;
using Wharf.Core.Build;
using Wharf.Core.Containers;
using Wharf.Core.Images;
using Wharf.Oci;

namespace Wharf.Build;

/// <summary>
/// One build in progress: the request, the parsed Dockerfile, the unpacked context, the
/// services it drives, the step numbering, the stage results and the containers it made (so
/// that every one of them is removed, whatever happens).
/// </summary>
internal sealed class BuildJob
{
    /// <summary>Args every build knows without an ARG (Docker's predefined proxy args).</summary>
    internal static readonly string[] Predefined =
    [
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    ];

    private readonly Dictionary<Instruction, int> _steps = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<Digest>> _stageResults = new();
    private readonly ConcurrentDictionary<string, byte> _containers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _usedArgs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _metaArgs = new(StringComparer.Ordinal);
    private readonly string _tempRoot;
    private readonly OrderedOutput _output;
    private int _temps;

    public BuildJob(BuildRequest request, Dockerfile dockerfile, ContextDir context, string tempRoot, BuildServices services, IReadOnlyList<int> stageOrder, Func<BuildOutput, ValueTask> sink)
    {
        Request = request;
        Dockerfile = dockerfile;
        Context = context;
        _tempRoot = tempRoot;
        Images = services.Images;
        Committer = services.Committer;
        Containers = services.Containers;
        Files = services.Files;
        Cache = services.Cache;
        Time = services.Time;
        Content = services.Content;
        CacheMounts = services.CacheMounts;
        _output = new OrderedOutput(sink, stageOrder);
        foreach (var i in stageOrder)
        {
            _stageResults[i] = new TaskCompletionSource<Digest>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var lex = new ShellLex(dockerfile.EscapeToken);
        foreach (var ins in dockerfile.MetaArgs)
        {
            foreach (var word in ins.Args)
            {
                var eq = word.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? word : word[..eq];
                string? value = eq < 0 ? null : lex.ProcessWord(word[(eq + 1)..], MetaArgLookup);
                if (request.BuildArgs.TryGetValue(name, out var given) && given is not null)
                {
                    value = given;
                }

                _metaArgs[name] = value;
                MarkArgUsed(name);
            }
        }

        if (request.BuildArgs.TryGetValue("SOURCE_DATE_EPOCH", out var epoch) && long.TryParse(epoch, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            Epoch = DateTimeOffset.FromUnixTimeSeconds(seconds);
            MarkArgUsed("SOURCE_DATE_EPOCH");
        }

        // Steps are numbered over the meta ARGs and the stages that are built, in file order.
        var n = 0;
        foreach (var ins in dockerfile.MetaArgs)
        {
            _steps[ins] = ++n;
        }

        foreach (var index in stageOrder)
        {
            var stage = dockerfile.Stages[index];
            _steps[stage.From] = ++n;
            foreach (var ins in stage.Instructions)
            {
                _steps[ins] = ++n;
            }
        }

        TotalSteps = n;
    }

    public BuildRequest Request { get; }

    public Dockerfile Dockerfile { get; }

    public ContextDir Context { get; }

    public IImageService Images { get; }

    public IImageCommitter Committer { get; }

    public IContainerService Containers { get; }

    public IContainerFiles Files { get; }

    public BuildCache Cache { get; }

    /// <summary>Downloads ADD's URLs (limits configurable for tests).</summary>
    public RemoteDownloader Downloader { get; init; } = new();

    public TimeProvider Time { get; }

    /// <summary>The blob store, where cachefrom images' layers are read from (null: cachefrom reuses nothing).</summary>
    public Core.Content.IContentStore? Content { get; }

    /// <summary>The directories of RUN --mount=type=cache.</summary>
    public CacheMounts CacheMounts { get; }

    /// <summary>The cachefrom images (none unless the request names some).</summary>
    public CacheSources Sources { get; init; } = CacheSources.None;

    /// <summary>SOURCE_DATE_EPOCH when given: the time recorded in configs and new layers.</summary>
    public DateTimeOffset? Epoch { get; }

    public int TotalSteps { get; private set; }

    public int StepNumber(Instruction ins)
    {
        lock (_steps)
        {
            if (!_steps.TryGetValue(ins, out var n))
            {
                // Instructions added by the request (labels) come last.
                n = ++TotalSteps;
                _steps[ins] = n;
            }

            return n;
        }
    }

    /// <summary>Reserves step numbers for instructions the request appends (LABEL from the labels parameter).</summary>
    public void AddSteps(IEnumerable<Instruction> extra)
    {
        foreach (var ins in extra)
        {
            StepNumber(ins);
        }
    }

    public string? MetaArgLookup(string name)
        => _metaArgs.TryGetValue(name, out var v) ? v : Predefined.Contains(name) && Request.BuildArgs.TryGetValue(name, out var p) ? p : null;

    public string? MetaArgValue(string name) => _metaArgs.TryGetValue(name, out var v) ? v : null;

    public void MarkArgUsed(string name) => _usedArgs[name] = 0;

    public IReadOnlyList<string> UnusedArgs()
        => [.. Request.BuildArgs.Keys.Where(k => !_usedArgs.ContainsKey(k) && !Predefined.Contains(k)).Order(StringComparer.Ordinal)];

    public ValueTask WriteAsync(int stage, string text)
        => Request.Quiet ? ValueTask.CompletedTask : _output.WriteAsync(stage, new BuildOutput(text));

    /// <summary>A message other than text (progress) in the stage's place in the output.</summary>
    public ValueTask WriteOutputAsync(int stage, BuildOutput output) => _output.WriteAsync(stage, output);

    public ValueTask WriteDirectAsync(BuildOutput output) => _output.WriteDirectAsync(output);

    public ValueTask StageDoneAsync(int stage) => _output.CompleteAsync(stage);

    public ValueTask FlushAsync() => _output.FlushAllAsync();

    public Task<Digest> StageResultAsync(int stage) => _stageResults[stage].Task;

    public void SetStageResult(int stage, Digest id) => _stageResults[stage].TrySetResult(id);

    public void FailStage(int stage, Exception e) => _stageResults[stage].TrySetException(e);

    public void TrackContainer(string id) => _containers[id] = 0;

    /// <summary>True when the container was still tracked (the caller removes it).</summary>
    public bool UntrackContainer(string id) => _containers.TryRemove(id, out _);

    public IReadOnlyList<string> TrackedContainers => [.. _containers.Keys];

    public string NewTempDir() => Path.Combine(_tempRoot, "t" + Interlocked.Increment(ref _temps).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
