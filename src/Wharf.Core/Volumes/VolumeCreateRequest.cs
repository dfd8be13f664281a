namespace Wharf.Core.Volumes;

/// <summary>
/// What <c>POST /volumes/create</c> and container mounts ask for. An empty <see cref="Name"/>
/// makes an anonymous volume (a random 64-hex name and <see cref="VolumeDefaults.AnonymousLabel"/>);
/// an empty <see cref="Driver"/> means <c>local</c>.
/// </summary>
public sealed record VolumeCreateRequest
{
    public string Name { get; init; } = "";

    public string Driver { get; init; } = "";

    /// <summary>Driver options: <c>type</c>, <c>device</c>, <c>o</c> (and <c>size</c>, which needs quota support).</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
