using System.Collections.Concurrent;
using Wharf.Oci;

namespace Wharf.Registry.Http;

/// <summary>
/// Manifest bytes by digest. Content under a digest never changes, so entries never go stale;
/// whether a repository may still serve one is checked on every request, not cached.
/// </summary>
internal sealed class ManifestCache
{
    private const int MaxEntries = 4096;
    private const int MaxEntryBytes = 256 * 1024;
    private readonly ConcurrentDictionary<Digest, byte[]> _entries = new();

    public bool TryGet(Digest digest, out byte[] bytes) => _entries.TryGetValue(digest, out bytes!);

    public void Add(Digest digest, byte[] bytes)
    {
        if (bytes.Length > MaxEntryBytes)
        {
            return;
        }
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[digest] = bytes;
    }
}
