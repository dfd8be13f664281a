using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Wharf.Core.Build;

namespace Wharf.Build;

/// <summary>
/// The directories of <c>RUN --mount=type=cache</c>, kept between builds under the daemon's
/// build root, one per cache id: <c>&lt;hash&gt;/</c> holds the files and <c>&lt;hash&gt;.json</c>
/// the record <c>system df</c> shows (type <c>exec.cachemount</c>, as BuildKit names it).
/// <c>sharing=locked</c> lets one RUN at a time use a cache; prune skips caches in use.
/// </summary>
internal sealed class CacheMounts
{
    private readonly string _root;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _inUse = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public CacheMounts(string root)
    {
        _root = root;
        Directory.CreateDirectory(root);
    }

    internal static string KeyOf(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    /// <summary>
    /// Takes the cache <paramref name="mount"/> names for one RUN: creates its directory on first
    /// use (owner and mode from the mount), waits for the lock with <c>sharing=locked</c>.
    /// Dispose the lease when the RUN is over.
    /// </summary>
    public Task<(string Path, IDisposable Lease)> AcquireAsync(RunMount mount, string description, DateTimeOffset now, CancellationToken cancellationToken)
        => AcquireAsync(mount, description, now, null, null, cancellationToken);

    /// <summary>
    /// As above for a cache with a base (<c>from=</c>): <paramref name="baseKey"/> names the base
    /// (a different base is a different cache, as BuildKit keys them) and <paramref name="seed"/>
    /// fills the new directory from it on first use.
    /// </summary>
    public async Task<(string Path, IDisposable Lease)> AcquireAsync(RunMount mount, string description, DateTimeOffset now, string? baseKey, Func<string, CancellationToken, Task>? seed, CancellationToken cancellationToken)
    {
        var key = KeyOf(baseKey is null ? mount.Id : mount.Id + "\nfrom:" + baseKey);
        var path = Path.Combine(_root, key);
        SemaphoreSlim? gate = null;
        if (mount.Sharing == "locked")
        {
            lock (_lock)
            {
                if (!_locks.TryGetValue(key, out gate))
                {
                    gate = new SemaphoreSlim(1, 1);
                    _locks[key] = gate;
                }
            }

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        string? seeded = null;
        if (seed is not null && !Directory.Exists(path))
        {
            // Filled aside and moved into place, so a failed seed leaves no half-made cache.
            seeded = Path.Combine(_root, ".seed-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(seeded);
            try
            {
                await seed(seeded, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Directory.Delete(seeded, recursive: true);
                gate?.Release();
                throw;
            }
        }

        lock (_lock)
        {
            var rec = Read(key);
            if (seeded is not null && !Directory.Exists(path))
            {
                Directory.Move(seeded, path);
                seeded = null;
                if (mount.Mode is { } mode)
                {
                    File.SetUnixFileMode(path, mode);
                }

                if (mount.Uid is not null || mount.Gid is not null)
                {
                    Chown(path, mount.Uid ?? 0, mount.Gid ?? 0);
                }

                rec = null;
            }
            else if (!Directory.Exists(path))
            {
                Directory.CreateDirectory(path);
                File.SetUnixFileMode(path, mount.Mode ?? (UnixFileMode)0b111_101_101);
                if (mount.Uid is not null || mount.Gid is not null)
                {
                    Chown(path, mount.Uid ?? 0, mount.Gid ?? 0);
                }

                rec = null;
            }

            Write(key, rec is null
                ? new BuildCacheRecord { Id = key, ImageId = "", Type = "exec.cachemount", Description = description, CreatedAt = now, LastUsedAt = now, UsageCount = 1 }
                : rec with { LastUsedAt = now, UsageCount = rec.UsageCount + 1 });
            _inUse[key] = _inUse.GetValueOrDefault(key) + 1;
        }

        if (seeded is not null)
        {
            // Another build seeded the same cache meanwhile: its copy is the cache.
            Directory.Delete(seeded, recursive: true);
        }

        return (path, new Lease(this, key, gate));
    }

    /// <summary>Every cache mount with the bytes its files take.</summary>
    public IReadOnlyList<BuildCacheRecord> List()
    {
        lock (_lock)
        {
            return [.. Directory.EnumerateFiles(_root, "*.json").Select(f => Read(Path.GetFileNameWithoutExtension(f))).OfType<BuildCacheRecord>()
                .Select(r => r with { Size = SizeOf(Path.Combine(_root, r.Id)) })];
        }
    }

    /// <summary>Removes every cache mount not in use; returns their ids and the bytes freed.</summary>
    public (IReadOnlyList<string> Deleted, long Reclaimed) Prune()
    {
        var deleted = new List<string>();
        long reclaimed = 0;
        lock (_lock)
        {
            foreach (var file in Directory.EnumerateFiles(_root, "*.json").ToList())
            {
                var key = Path.GetFileNameWithoutExtension(file);
                if (_inUse.GetValueOrDefault(key) > 0)
                {
                    continue;
                }

                var dir = Path.Combine(_root, key);
                reclaimed += SizeOf(dir);
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }

                File.Delete(file);
                deleted.Add(key);
            }
        }

        return (deleted, reclaimed);
    }

    /// <summary>Owner of a new cache directory (all P/Invoke lives in Wharf.Linux, so the chown tool does it).</summary>
    private static void Chown(string path, int uid, int gid)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("chown") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add(uid.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + gid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--");
        psi.ArgumentList.Add(path);
        using var process = System.Diagnostics.Process.Start(psi) ?? throw Core.Errors.WharfException.Invalid("cache mount: could not run chown");
        using var stderr = process.StandardError; // Process.Dispose leaves it open
        var error = stderr.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw Core.Errors.WharfException.Invalid("cache mount: " + error.Trim());
        }
    }

    private static long SizeOf(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return 0;
        }

        return new DirectoryInfo(dir).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => f.LinkTarget is null).Sum(f => f.Length);
    }

    private BuildCacheRecord? Read(string key)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(_root, key + ".json")), BuildJsonContext.Default.BuildCacheRecord);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Write(string key, BuildCacheRecord rec)
    {
        var path = Path.Combine(_root, key + ".json");
        File.WriteAllBytes(path + ".tmp", JsonSerializer.SerializeToUtf8Bytes(rec, BuildJsonContext.Default.BuildCacheRecord));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private void Release(string key, SemaphoreSlim? gate)
    {
        lock (_lock)
        {
            _inUse[key] = _inUse.GetValueOrDefault(key) - 1;
        }

        gate?.Release();
    }

    private sealed class Lease(CacheMounts owner, string key, SemaphoreSlim? gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(key, gate);
            }
        }
    }
}
