using Wharf.Oci;

namespace Wharf.Core.Content;

public sealed record BlobInfo(Digest Digest, long Size);
