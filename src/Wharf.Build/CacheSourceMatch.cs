using Wharf.Core.Images;
using Wharf.Oci;

namespace Wharf.Build;

/// <summary>A step found in a cache source: the history index that made it, whether it is the source's last, and its layer (null: none).</summary>
internal sealed record CacheSourceMatch(ImageRecord Source, int Index, bool Last, Digest? Layer);
