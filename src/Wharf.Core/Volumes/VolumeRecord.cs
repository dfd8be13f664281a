namespace Wharf.Core.Volumes;

/// <summary>
/// A volume as the engine reports it. <see cref="Labels"/> and <see cref="Options"/> are null
/// when the volume was created without any (Docker writes them as JSON null), and an empty map
/// when the caller sent an empty one.
/// </summary>
public sealed record VolumeRecord
{
    public required string Name { get; init; }

    /// <summary>Only the built-in <c>local</c> driver exists.</summary>
    public string Driver { get; init; } = VolumeDefaults.Driver;

    /// <summary>Host path of the volume's data (<c>&lt;data-root&gt;/volumes/&lt;name&gt;/_data</c>).</summary>
    public required string Mountpoint { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Options { get; init; }

    public string Scope { get; init; } = "local";

    /// <summary>Created without a name (by a container or a nameless create): carries <see cref="VolumeDefaults.AnonymousLabel"/>.</summary>
    public bool Anonymous => Labels?.ContainsKey(VolumeDefaults.AnonymousLabel) == true;
}
