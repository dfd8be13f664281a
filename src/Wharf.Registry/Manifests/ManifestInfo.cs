using System.Text.Json;
using Wharf.Oci;

namespace Wharf.Registry.Manifests;

/// <summary>
/// What the registry needs to know of a pushed manifest or index: its kind, the content it
/// references (which must already be in the repository), its subject and what a referrers
/// listing shows of it. The bytes themselves are stored untouched.
/// </summary>
internal sealed record ManifestInfo(
    string MediaType,
    bool IsIndex,
    IReadOnlyList<Digest> Blobs,
    IReadOnlyList<Digest> Manifests,
    Digest? Subject,
    string? ArtifactType,
    string? ConfigMediaType,
    JsonElement? Annotations);
