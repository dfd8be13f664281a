using Wharf.Linux;

namespace Wharf.Snapshots.Changes;

/// <summary>
/// One name in a container layer compared with the image: what the layer has there
/// (<see cref="Upper"/>, null when the name was deleted) and what the image has
/// (<see cref="Lower"/>, null when the name is new). Children are sorted by name (byte order).
/// </summary>
internal sealed class DiffNode
{
    public required string Path { get; init; }

    public FileStatus? Upper { get; init; }

    public FileStatus? Lower { get; init; }

    /// <summary>The whiteout's own status (its owner and time go into the layer's ".wh." entry).</summary>
    public FileStatus? Whiteout { get; init; }

    /// <summary>An overlayfs whiteout (or, in a copied tree, a name only the image has).</summary>
    public bool Deleted { get; init; }

    /// <summary>An overlayfs opaque directory: the image's entries below it are hidden.</summary>
    public bool Opaque { get; init; }

    /// <summary>Deleted because an opaque parent hides it, not by a whiteout of its own.</summary>
    public bool HiddenByOpaque { get; init; }

    public List<DiffNode> Children { get; } = [];

    public string Name => Path[(Path.LastIndexOf('/') + 1)..];

    public bool IsDirectory => Upper is { Kind: FileKind.Directory };
}
