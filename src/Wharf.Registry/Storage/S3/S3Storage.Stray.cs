namespace Wharf.Registry.Storage.S3;

/// <summary>
/// Multipart uploads no session names. A session creates its multipart upload before its state
/// records the id, and a commit of a large blob copies it into place through a multipart upload
/// of its own; a process that dies in between leaves an upload in progress that S3 keeps (and
/// bills) until it is aborted, and that no listing of objects shows. Garbage collection lists the
/// multipart uploads under the registry's <c>uploads/</c> and <c>blobs/</c> keys and aborts those
/// no session state names once they are older than the stale-upload age; younger ones may belong
/// to a request still under way.
/// </summary>
internal sealed partial class S3Storage : IStrayUploadStore
{
    /// <summary>Stands for the multipart id of a state that cannot be read: it may name any, so none of its session's is stray.</summary>
    private const string UnreadableState = "";

    /// <summary>Where the registry starts multipart uploads; others under its prefix are not its own.</summary>
    private static readonly string[] StrayPrefixes = [S3Keys.UploadsPrefix, S3Keys.BlobsPrefix];

    public async Task<int> AbortStrayUploadsAsync(DateTimeOffset olderThan, bool dryRun, CancellationToken cancellationToken)
    {
        // The multipart id each session's state names (null: no state, or none named yet).
        var named = new Dictionary<string, string?>(StringComparer.Ordinal);
        var count = 0;
        foreach (var prefix in StrayPrefixes)
        {
            var stray = new List<S3MultipartUpload>();
            await foreach (var upload in _s3.ListMultipartUploadsAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                if (upload.Initiated >= olderThan)
                {
                    continue;
                }
                if (SessionOf(upload.Key) is { } id)
                {
                    if (!named.TryGetValue(id, out var multipartId))
                    {
                        multipartId = await NamedMultipartAsync(id, cancellationToken).ConfigureAwait(false);
                        named[id] = multipartId;
                    }
                    if (multipartId == upload.UploadId || multipartId == UnreadableState)
                    {
                        continue;
                    }
                }
                stray.Add(upload);
            }
            // Aborted after the listing, so the markers of its pages stay valid.
            foreach (var upload in stray)
            {
                if (!dryRun)
                {
                    await _s3.AbortMultipartAsync(upload.Key, upload.UploadId, cancellationToken).ConfigureAwait(false);
                }
                count++;
            }
        }
        return count;
    }

    /// <summary>The session whose assembled data <paramref name="key"/> is (<c>uploads/&lt;id&gt;/data</c>), or null.</summary>
    private static string? SessionOf(string key)
    {
        if (!key.StartsWith(S3Keys.UploadsPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = key[S3Keys.UploadsPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && IsValidSessionId(rest[..slash]) && key == S3Keys.UploadData(rest[..slash]) ? rest[..slash] : null;
    }

    /// <summary>The multipart id a session's state names, or <see cref="UnreadableState"/> (such a session is purged as stale, not here).</summary>
    private async Task<string?> NamedMultipartAsync(string id, CancellationToken ct)
    {
        try
        {
            return (await ReadStateAsync(id, ct).ConfigureAwait(false))?.MultipartId;
        }
        catch (S3Exception e) when (e.InnerException is System.Text.Json.JsonException)
        {
            return UnreadableState;
        }
    }
}
