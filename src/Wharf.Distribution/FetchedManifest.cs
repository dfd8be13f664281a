using Wharf.Oci;

namespace Wharf.Distribution;

/// <summary>A manifest or index exactly as the registry sent it, with its verified digest.</summary>
internal sealed record FetchedManifest(byte[] Bytes, string MediaType, Digest Digest)
{
    public bool IsIndex => MediaType is Oci.Image.MediaTypes.OciIndex or Oci.Image.MediaTypes.DockerManifestList;
}
