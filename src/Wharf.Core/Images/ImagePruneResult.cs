namespace Wharf.Core.Images;

public sealed record ImagePruneResult(IReadOnlyList<ImageDeleteItem> Deleted, long SpaceReclaimed);
