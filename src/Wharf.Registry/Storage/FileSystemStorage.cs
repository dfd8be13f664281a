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
/// crash leaves either the old file or the new one, never a torn one. The directory a name is
/// made in (by a rename, a link or a new folder) is fsynced before the write is acknowledged, so
/// what a client was told is stored survives a power loss too. Repository names cannot
/// start with "_", so the "_" folders never collide with a nested repository.
/// </summary>
internal sealed partial class FileSystemStorage : IBlobStore, IUploadStore, IRepositoryStore
{
    private readonly string _blobs;
    private readonly string _uploads;
    private readonly string _repositories;
    private readonly string _tmp;
    private readonly TimeProvider _time;
    private readonly Action<string> _syncDirectory;

    public FileSystemStorage(string root, TimeProvider time)
        : this(root, time, Wharf.Linux.DirectorySync.Sync)
    {
    }

    /// <param name="syncDirectory">fsyncs a directory; the seam tests watch it through.</param>
    internal FileSystemStorage(string root, TimeProvider time, Action<string> syncDirectory)
    {
        _syncDirectory = syncDirectory;
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
            var dir = Path.GetDirectoryName(path)!;
            CreateDirectoryDurably(dir);
            File.Move(tmp, path, overwrite: true);
            _syncDirectory(dir);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Creates an empty marker file (a link), durably; its existence is all it says.</summary>
    private void Touch(string path)
    {
        if (File.Exists(path))
        {
            return;
        }
        var dir = Path.GetDirectoryName(path)!;
        CreateDirectoryDurably(dir);
        using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1))
        {
        }
        _syncDirectory(dir);
    }

    /// <summary>
    /// Creates <paramref name="dir"/> and any missing parents, fsyncing the directory each new
    /// one is named in, so a later rename into it is not lost with the folder itself.
    /// </summary>
    private void CreateDirectoryDurably(string dir)
    {
        var missing = new Stack<string>();
        for (var d = dir; !Directory.Exists(d); d = Path.GetDirectoryName(d)!)
        {
            missing.Push(d);
        }
        if (missing.Count == 0)
        {
            return;
        }
        Directory.CreateDirectory(dir);
        foreach (var created in missing)
        {
            _syncDirectory(Path.GetDirectoryName(created)!);
        }
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
