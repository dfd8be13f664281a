using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>
/// The on-disk bookkeeping both snapshotters share: <c>&lt;dir&gt;/&lt;hex&gt;/</c> holding the
/// tree plus <c>parent</c> and <c>size</c> files, built in <c>.tmp-*</c> and renamed into place.
/// </summary>
internal sealed class SnapshotStore
{
    public const string TempPrefix = ".tmp-";
    private const string ParentFile = "parent";
    private const string SizeFile = "size";

    // Serializes the commit/remove decisions (does the parent still exist? does a child exist?).
    private readonly SemaphoreSlim _lock = new(1, 1);

    public SnapshotStore(string directory)
    {
        DirectoryPath = Path.GetFullPath(directory);
        Directory.CreateDirectory(DirectoryPath);
    }

    public string DirectoryPath { get; }

    public string PathFor(string key) => Path.Join(DirectoryPath, SnapshotKey.ToHex(key));

    public bool Exists(string key) => Directory.Exists(PathFor(key));

    public string? GetParent(string key)
    {
        var text = File.ReadAllText(Path.Join(RequireExisting(key), ParentFile)).Trim();
        return text.Length == 0 ? null : text;
    }

    public long GetSize(string key)
        => long.Parse(File.ReadAllText(Path.Join(RequireExisting(key), SizeFile)).Trim(), CultureInfo.InvariantCulture);

    public IReadOnlyList<string> List()
        => FileTree.ListNames(DirectoryPath)
            .Where(SnapshotKey.IsHexName)
            .Select(h => "sha256:" + h)
            .Order(StringComparer.Ordinal)
            .ToList();

    public string RequireExisting(string key)
    {
        var path = PathFor(key);
        return Directory.Exists(path) ? path : throw WharfException.NotFound($"snapshot {key} not found");
    }

    /// <summary>
    /// Builds a snapshot in a temp dir with <paramref name="fill"/> (which receives that dir and
    /// returns the size) and renames it into place; on any failure the temp dir is deleted.
    /// </summary>
    public async Task<long> CreateAsync(
        string key,
        string? parentKey,
        Func<string, CancellationToken, Task<long>> fill,
        CancellationToken cancellationToken)
    {
        var final = PathFor(key);
        if (parentKey is not null)
        {
            RequireExisting(parentKey);
        }

        if (Directory.Exists(final))
        {
            return GetSize(key);
        }

        var temp = Path.Join(DirectoryPath, TempPrefix + Guid.NewGuid().ToString("N"));
        Posix.MakeDirectory(temp, 0b111_000_000);
        try
        {
            var size = await fill(temp, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Join(temp, ParentFile), parentKey ?? string.Empty, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Join(temp, SizeFile), size.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);

            await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (Directory.Exists(final))
                {
                    // A concurrent apply of the same layer won; both results are equal.
                    DeleteTemp(temp);
                    return GetSize(key);
                }

                if (parentKey is not null)
                {
                    RequireExisting(parentKey);
                }

                Directory.Move(temp, final);
            }
            finally
            {
                _lock.Release();
            }

            return size;
        }
        catch
        {
            TryDeleteTemp(temp);
            throw;
        }
    }

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        var path = RequireExisting(key);
        string doomed;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            path = RequireExisting(key);
            var child = List().FirstOrDefault(k => GetParent(k) == key);
            if (child is not null)
            {
                throw WharfException.Conflict($"snapshot {key} is the parent of {child}");
            }

            // Renaming first makes removal atomic for readers; a crash leaves a temp dir that
            // RecoverAsync deletes.
            doomed = Path.Join(DirectoryPath, TempPrefix + "rm-" + Guid.NewGuid().ToString("N"));
            MountTable.UnmountAllUnder(path);
            Directory.Move(path, doomed);
        }
        finally
        {
            _lock.Release();
        }

        DeleteTemp(doomed);
    }

    public Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var name in FileTree.ListNames(DirectoryPath))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal))
            {
                DeleteTemp(Path.Join(DirectoryPath, name));
            }
        }

        return Task.CompletedTask;
    }

    // Used on failure paths, where a cleanup error must not hide the original one; whatever
    // stays behind is a .tmp-* dir that RecoverAsync deletes at the next start.
    private static void TryDeleteTemp(string path)
    {
        try
        {
            DeleteTemp(path);
        }
        catch (IOException)
        {
        }
    }

    private static void DeleteTemp(string path)
    {
        // A probe or a crashed container may have left a mount inside; deleting through it
        // would delete the mounted filesystem's files.
        MountTable.UnmountAllUnder(path);
        FileTree.RemoveAll(path);
    }
}
