namespace Wharf.Snapshots.Changes;

/// <summary>How a driver's layer is compared with the image.</summary>
/// <param name="CompareDirectoryTimes">
/// Overlay: a directory copied up with a new mtime is a change (Docker's overlay rule). Copied
/// trees: directory times are ignored (Docker's naive diff).
/// </param>
/// <param name="CompareFiles">
/// Copied trees hold every file, so a file is a change only when its metadata differs; in an
/// overlay upper dir every file that the image also has was written, so it is a change.
/// </param>
internal sealed record ChangeRules(bool CompareDirectoryTimes, bool CompareFiles)
{
    public static readonly ChangeRules Overlay = new(CompareDirectoryTimes: true, CompareFiles: false);

    public static readonly ChangeRules Tree = new(CompareDirectoryTimes: false, CompareFiles: true);
}
