namespace Wharf.Distribution;

/// <summary>The daemon's registry settings (daemon.json keys as dockerd's).</summary>
public sealed record RegistrySettings
{
    /// <summary>Mirrors tried in order, for every registry, before the registry itself (<c>registry-mirrors</c>).</summary>
    public IReadOnlyList<string> Mirrors { get; init; } = [];

    /// <summary>Hosts (<c>host[:port]</c>) or CIDRs where plain HTTP and unverified TLS are allowed (<c>insecure-registries</c>).</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    public int MaxConcurrentDownloads { get; init; } = 3;

    public int MaxConcurrentUploads { get; init; } = 5;

    /// <summary>A certs.d-style folder: <c>&lt;dir&gt;/&lt;host:port&gt;/ca.crt</c> adds a trusted CA for that registry.</summary>
    public string? CertsDirectory { get; init; }

    /// <summary>Where pull metadata (which registry blob each layer came from, the manifests) is kept.</summary>
    public required string StateRoot { get; init; }
}
