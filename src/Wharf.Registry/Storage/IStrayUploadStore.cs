namespace Wharf.Registry.Storage;

/// <summary>
/// An upload store whose backend can hold upload leftovers no session refers to: on S3, a
/// multipart upload started just before the process died, before any session state named it.
/// Such leftovers cost storage but no listing of sessions finds them; garbage collection asks for them.
/// </summary>
internal interface IStrayUploadStore
{
    /// <summary>
    /// Aborts the leftovers no session refers to that were started before <paramref name="olderThan"/>;
    /// with <paramref name="dryRun"/> only counts them.
    /// </summary>
    /// <returns>How many were (or would be) aborted.</returns>
    Task<int> AbortStrayUploadsAsync(DateTimeOffset olderThan, bool dryRun, CancellationToken cancellationToken);
}
