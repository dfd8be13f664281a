using Wharf.Core.Filters;
using Wharf.Oci;

namespace Wharf.Core.Images;

/// <summary>
/// Every image operation the API exposes. Names are resolved as Docker resolves them: a
/// reference (normalised, <c>latest</c> by default), a full or <c>sha256:</c> ID, or a unique
/// ID prefix. Unknown names fail with NotFound ("No such image: ...").
/// </summary>
public interface IImageService
{
    IReadOnlyList<ImageView> List(bool all, FilterSet filters);

    ImageView Inspect(string name);

    /// <summary>The exact config bytes of an image (its ID is their digest).</summary>
    Task<byte[]> GetConfigBytesAsync(string name, CancellationToken cancellationToken);

    IReadOnlyList<ImageHistoryItem> History(string name);

    Task TagAsync(string source, string repository, string? tag, CancellationToken cancellationToken);

    Task<IReadOnlyList<ImageDeleteItem>> RemoveAsync(string name, bool force, bool noPrune, CancellationToken cancellationToken);

    Task<ImagePruneResult> PruneAsync(bool all, FilterSet filters, CancellationToken cancellationToken);

    /// <summary>Imports a root filesystem tar (plain or gzip) as a one-layer image.</summary>
    Task<Digest> ImportAsync(Stream tar, ImportRequest request, Func<ProgressMessage, ValueTask> progress, CancellationToken cancellationToken);

    /// <summary>
    /// Loads a docker-archive or OCI-layout tar. Progress goes to <paramref name="progress"/>
    /// (the first call is made only after the archive was read and validated, so an early
    /// failure can still be reported as an HTTP error).
    /// </summary>
    Task LoadAsync(Stream archive, bool quiet, Func<ProgressMessage, ValueTask> progress, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves the names first (NotFound before anything is written), then returns a writer
    /// that streams the archive.
    /// </summary>
    Func<Stream, CancellationToken, Task> PrepareSave(IReadOnlyList<string> names);

    /// <summary>Sum of the unpacked sizes of all distinct layers.</summary>
    long LayersSize();

    int Count { get; }
}
