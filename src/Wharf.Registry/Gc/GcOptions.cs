namespace Wharf.Registry.Gc;

/// <param name="GracePeriod">Blobs stored more recently than this are kept even when unreferenced.</param>
/// <param name="UploadMaxAge">Upload sessions untouched for longer are removed, and so are multipart uploads no session names that were started longer ago.</param>
/// <param name="DeleteUntagged">Also remove manifest revisions no tag reaches (directly, through an index, or as a referrer).</param>
/// <param name="DryRun">Report what would go, remove nothing.</param>
public sealed record GcOptions(TimeSpan GracePeriod, TimeSpan UploadMaxAge, bool DeleteUntagged = false, bool DryRun = false);
