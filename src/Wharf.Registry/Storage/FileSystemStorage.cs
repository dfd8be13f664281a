using Wharf.Oci;

namespace Wharf.Registry.Storage;

/// <summary>
/// The registry's storage on a local filesystem, under one root:
/// <code>
/// blobs/&lt;alg&gt;/&lt;hex[0:2]&gt;/&lt;hex&gt;                 content (immutable once there)
/// uploads/&lt;id&gt;/{data,repository}                 upload sessions
/// repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;        blob links (empty files)
/// repositories/&lt;name&gt;/_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;  revision (holds the media type)
/// repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;      tag (holds the digest)
/// repositories/&lt;name&gt;/_referrers/&lt;alg&gt;/&lt;hex&gt;/&lt;alg&gt;-&lt;hex&gt;  referrer links
/// tmp/                                          staging for atomic writes
/// </code>
/// Every file with content is written to tmp/, flushed to disk and renamed into place, so a
/// crash leaves either the old file or the new one, never a torn one. Repository names cannot
/// start with "_", so the "_" folders never collide with a nested repository.
/// </summary>
internal sealed partial class FileSystemStorage : IBlobStore, IUploadStore, IRepositoryStore
{
    private readonly string _blobs;
    private readonly string _uploads;
    private readonly string _repositories;
    private readonly string _tmp;
    private readonly TimeProvider _time;

    public FileSystemStorage(string root, TimeProvider time)
    {
        Root = Path.GetFullPath(root);
        _blobs = Path.Combine(Root, "blobs");
        _uploads = Path.Combine(Root, "uploads");
        _repositories = Path.Combine(Root, "repositories");
        _tmp = Path.Combine(Root, "tmp");
        _time = time;
        foreach (var dir in new[] { _blobs, _uploads, _repositories, _tmp })
        {
            Directory.CreateDirectory(dir);
        }
        // Leftovers of writes a crash interrupted are never visible anywhere; the age check spares
        // the staging files of another process (a server while gc runs) that is still writing.
        var stale = time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1);
        foreach (var leftover in Directory.EnumerateFileSystemEntries(_tmp))
        {
            if (File.GetLastWriteTimeUtc(leftover) < stale)
            {
                TryDelete(leftover);
            }
        }
    }

    public string Root { get; }

    private string BlobPath(Digest digest) => Path.Combine(_blobs, digest.Algorithm, digest.Hex[..2], digest.Hex);

    private string RepoPath(string repository) => Path.Combine(_repositories, repository);

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> through a flushed temp file and a rename.</summary>
    private async Task WriteAtomicAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var tmp = Path.Combine(_tmp, Guid.NewGuid().ToString("N"));
        try
        {
            var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Creates an empty marker file (a link); its existence is all it says.</summary>
    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var _ = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Digests named by the files of a <c>&lt;alg&gt;/&lt;hex&gt;</c> folder pair; anything else is skipped.</summary>
    private static List<Digest> ListDigestFiles(string dir)
    {
        var result = new List<Digest>();
        if (!Directory.Exists(dir))
        {
            return result;
        }
        foreach (var algDir in Directory.EnumerateDirectories(dir))
        {
            var alg = Path.GetFileName(algDir);
            foreach (var file in Directory.EnumerateFileSystemEntries(algDir))
            {
                if (Digest.TryParse(alg + ":" + Path.GetFileName(file), out var d))
                {
                    result.Add(d);
                }
            }
        }
        return result;
    }
}
