using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Core.Images;

/// <summary>An image in the store: its ID (config digest), parsed config and bookkeeping.</summary>
public sealed record ImageRecord
{
    public required Digest Id { get; init; }

    public required ImageConfig Config { get; init; }

    /// <summary>Layer diff IDs from the config's rootfs, bottom first.</summary>
    public required IReadOnlyList<Digest> DiffIds { get; init; }

    /// <summary>Chain ID of each layer prefix (the snapshot keys), bottom first; derived from <see cref="DiffIds"/> once.</summary>
    public required IReadOnlyList<Digest> ChainIds { get; init; }

    /// <summary>Unpacked size of all layers.</summary>
    public long Size { get; init; }

    /// <summary>Parent image ID (builds and commits); null for imported and loaded images.</summary>
    public Digest? Parent { get; init; }

    public DateTimeOffset? LastTagTime { get; init; }

    /// <summary>When this store first saw the image; used when the config has no created time.</summary>
    public DateTimeOffset Added { get; init; }

    public DateTimeOffset Created => Config.Created ?? Added;
}
