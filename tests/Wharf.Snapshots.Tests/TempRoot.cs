using Wharf.Linux;

namespace Wharf.Snapshots.Tests;

/// <summary>
/// A unique dir under /tmp holding the snapshotter root and a sentinel dir next to it that no
/// layer may touch. Disposing unmounts anything left under it and deletes it.
/// </summary>
internal sealed class TempRoot : IDisposable
{
    public TempRoot()
    {
        Base = Path.Join(Path.GetTempPath(), "wharf-snap-" + Guid.NewGuid().ToString("N"));
        Root = Path.Join(Base, "root");
        Sentinel = Path.Join(Base, "sentinel");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Sentinel);
        File.WriteAllText(Path.Join(Sentinel, "file.txt"), "sentinel");
        SentinelBefore = Fingerprint();
    }

    public string Base { get; }

    public string Root { get; }

    public string Sentinel { get; }

    public string SentinelBefore { get; }

    /// <summary>Everything outside the root: the base dir's names and the sentinel's tree.</summary>
    public string Fingerprint()
    {
        var lines = new List<string>();
        foreach (var name in Directory.EnumerateFileSystemEntries(Base).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            lines.Add("base:" + name);
        }

        foreach (var path in Directory.EnumerateFileSystemEntries(Sentinel, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            var st = Posix.LStat(path);
            lines.Add($"{path} {st.Mode} {st.Size} {st.ModifySeconds}.{st.ModifyNanoseconds}");
        }

        var top = Posix.LStat(Sentinel);
        lines.Add($"sentinel {top.Mode} {top.ModifySeconds}.{top.ModifyNanoseconds}");
        return string.Join('\n', lines);
    }

    /// <summary>Names under the root starting with ".tmp-", at any depth.</summary>
    public IReadOnlyList<string> TempDirs()
        => Directory.EnumerateDirectories(Root, ".tmp-*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).ToList();

    public void Dispose()
    {
        MountTable.UnmountAllUnder(Base);
        FileTree.RemoveAll(Base);
    }
}
