namespace Wharf.Core.Images;

/// <summary>One row of <c>docker history</c>: Id is the image ID or "&lt;missing&gt;".</summary>
public sealed record ImageHistoryItem(string Id, DateTimeOffset Created, string CreatedBy, IReadOnlyList<string> Tags, long Size, string Comment);
