namespace Wharf.Oci.References;

/// <summary>
/// What <see cref="ImageReference.ParseAnyReference"/> found: either a named reference or a bare
/// content ID (a 64-hex image ID or a full <c>algorithm:hex</c> digest). Exactly one is set.
/// </summary>
public readonly record struct AnyReference
{
    public AnyReference(ImageReference named)
    {
        ArgumentNullException.ThrowIfNull(named);
        Named = named;
    }

    public AnyReference(Digest id) => Id = id;

    /// <summary>The named reference, or null when the input was an ID.</summary>
    public ImageReference? Named { get; }

    /// <summary>The ID (as a digest), or null when the input was a name.</summary>
    public Digest? Id { get; }

    public bool IsId => Named is null;

    public override string ToString() => Named?.ToString() ?? Id?.Value ?? string.Empty;
}
