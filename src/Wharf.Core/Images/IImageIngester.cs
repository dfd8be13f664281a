using Wharf.Oci;

namespace Wharf.Core.Images;

/// <summary>
/// Writes an image that arrives piece by piece (a registry pull) into the store: the config
/// first, then each layer's uncompressed tar bottom up, then the references. The session pins
/// what it wrote, so a failed or abandoned session leaves nothing behind.
/// </summary>
public interface IImageIngester
{
    /// <summary>Starts a session for an image config; fails with InvalidArgument when the config is not valid.</summary>
    IImageIngestSession BeginIngest(byte[] configBytes);

    /// <summary>
    /// Points a digest reference (<c>host/repo@sha256:...</c>, the manifest just pushed) at an
    /// image that is already stored, as dockerd does after a push, so it shows in RepoDigests.
    /// Emits no event. Fails with NotFound when the image is gone.
    /// </summary>
    Task AddRepoDigestAsync(Digest imageId, string digestReference, CancellationToken cancellationToken);
}
