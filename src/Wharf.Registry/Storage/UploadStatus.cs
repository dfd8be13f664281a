namespace Wharf.Registry.Storage;

/// <summary>An upload session: the repository it was started for and how many bytes it holds.</summary>
internal sealed record UploadStatus(string Id, string Repository, long Size);
