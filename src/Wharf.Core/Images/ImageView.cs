namespace Wharf.Core.Images;

/// <summary>An image together with the references that point at it.</summary>
public sealed record ImageView(
    ImageRecord Image,
    IReadOnlyList<string> RepoTags,
    IReadOnlyList<string> RepoDigests,
    int Containers,
    string DriverName,
    IReadOnlyDictionary<string, string> DriverData);
