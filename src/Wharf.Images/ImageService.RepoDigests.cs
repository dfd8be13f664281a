using Wharf.Core.Errors;
using Wharf.Oci;
using Wharf.Oci.References;

namespace Wharf.Images;

public sealed partial class ImageService
{
    public async Task AddRepoDigestAsync(Digest imageId, string digestReference, CancellationToken cancellationToken)
    {
        ImageReference r;
        try
        {
            r = ImageReference.ParseNormalizedNamed(digestReference);
        }
        catch (FormatException e)
        {
            throw WharfException.Invalid(e.Message, e);
        }

        if (r.Digest is null || r.Tag is not null)
        {
            throw WharfException.Invalid($"not a digest reference: {digestReference}");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_store.Get(imageId) is null)
            {
                throw WharfException.NotFound("No such image: " + imageId.Value);
            }

            _store.SetRef(r.ToString(), imageId);
        }
        finally
        {
            _gate.Release();
        }
    }
}
