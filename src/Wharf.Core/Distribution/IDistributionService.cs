using Wharf.Core.Images;

namespace Wharf.Core.Distribution;

/// <summary>
/// Talks to registries speaking the OCI distribution protocol: pull and push images, check
/// logins, inspect manifests and search. Progress goes out as Docker's JSON messages; the
/// first message is sent only after the registry answered for the manifest, so an early
/// failure (unknown image, denied) is still an HTTP error.
/// </summary>
public interface IDistributionService
{
    Task PullAsync(PullRequest request, Func<ProgressMessage, ValueTask> progress, CancellationToken cancellationToken);

    Task PushAsync(string name, string? tag, RegistryAuth? auth, Func<ProgressMessage, ValueTask> progress, CancellationToken cancellationToken);

    /// <summary>Checks credentials against a registry; returns an identity token or "" (Docker's "Login Succeeded").</summary>
    Task<string> LoginAsync(RegistryAuth auth, CancellationToken cancellationToken);

    Task<DistributionInspect> InspectAsync(string name, RegistryAuth? auth, CancellationToken cancellationToken);

    Task<IReadOnlyList<SearchResult>> SearchAsync(string term, int limit, RegistryAuth? auth, CancellationToken cancellationToken);
}
