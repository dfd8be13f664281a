namespace Wharf.Core.Build;

/// <summary>The options of <c>POST /build</c>, validated at the API edge.</summary>
public sealed record BuildRequest
{
    /// <summary>Path of the Dockerfile inside the context.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";

    /// <summary>Normalised references to tag the result with.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Build args; a null value means "take it from the daemon's environment" in Docker, here unset.</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? Target { get; init; }

    public bool NoCache { get; init; }

    /// <summary>Remove intermediate containers after a successful step (Docker's default).</summary>
    public bool Remove { get; init; } = true;

    /// <summary>Always remove intermediate containers, also after a failed step.</summary>
    public bool ForceRemove { get; init; }

    public bool Quiet { get; init; }

    /// <summary>Images whose steps may be reused as cache (besides the local cache).</summary>
    public IReadOnlyList<string> CacheFrom { get; init; } = [];

    /// <summary>Network mode of RUN containers; Wharf's default is none.</summary>
    public string NetworkMode { get; init; } = "none";

    public IReadOnlyList<string> ExtraHosts { get; init; } = [];

    public long ShmSize { get; init; }

    public long Memory { get; init; }

    public string? Platform { get; init; }

    /// <summary>
    /// A context the daemon fetches instead of reading the body: a git repository URL (with
    /// <c>#ref:subdir</c>), a local repository's path, or an http(s) URL of a tar or a Dockerfile.
    /// </summary>
    public string? Remote { get; init; }
}
