namespace Wharf.Registry.Storage;

/// <summary>What a blob GET needs before sending: its length and, for local files, the path to send from.</summary>
internal sealed record BlobInfo(long Size, string? LocalPath);
