namespace Wharf.Core.Distribution;

/// <summary>
/// What a finished push of one tag produced: the tag, the digest of the manifest the registry
/// now holds under it, and that manifest's length. dockerd ends each tag's push with it as the
/// progress stream's <c>aux</c> message (content-trust signing reads it).
/// </summary>
public sealed record PushResult(string Tag, string Digest, int Size);
