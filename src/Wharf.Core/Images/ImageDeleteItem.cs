namespace Wharf.Core.Images;

/// <summary>One line of an image removal: exactly one of the two is set.</summary>
public sealed record ImageDeleteItem(string? Untagged, string? Deleted);
