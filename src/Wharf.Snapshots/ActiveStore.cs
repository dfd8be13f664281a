using System.Text.RegularExpressions;
using Wharf.Core.Errors;
using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>
/// Containers' writable layers: <c>&lt;dir&gt;/&lt;id&gt;/</c> with a <c>parent</c> file and the
/// driver's own subdirectories. A layer is first built as <c>.tmp-*</c> and renamed into place,
/// so a killed daemon leaves either a whole layer or a temp dir that recovery removes.
/// </summary>
internal sealed partial class ActiveStore
{
    private const string ParentFile = "parent";

    public ActiveStore(string directory)
    {
        DirectoryPath = Path.GetFullPath(directory);
        Directory.CreateDirectory(DirectoryPath);
    }

    public string DirectoryPath { get; }

    public string PathFor(string id)
        => IdPattern().IsMatch(id) ? Path.Join(DirectoryPath, id) : throw WharfException.Invalid($"invalid container snapshot id \"{id}\"");

    public bool Exists(string id) => Directory.Exists(PathFor(id));

    public string Require(string id)
    {
        var path = PathFor(id);
        return Directory.Exists(path) ? path : throw WharfException.NotFound($"container snapshot {id} not found");
    }

    public string GetParent(string id) => File.ReadAllText(Path.Join(Require(id), ParentFile)).Trim();

    public IReadOnlyList<string> List()
        => [.. FileTree.ListNames(DirectoryPath).Where(n => IdPattern().IsMatch(n)).Order(StringComparer.Ordinal)];

    public void Create(string id, string parentKey, Action<string> fill)
    {
        var final = PathFor(id);
        if (Directory.Exists(final))
        {
            return;
        }

        var temp = Path.Join(DirectoryPath, SnapshotStore.TempPrefix + Guid.NewGuid().ToString("N"));
        Posix.MakeDirectory(temp, 0b111_000_000);
        try
        {
            fill(temp);
            File.WriteAllText(Path.Join(temp, ParentFile), parentKey);
            Directory.Move(temp, final);
        }
        catch
        {
            MountTable.UnmountAllUnder(temp);
            FileTree.RemoveAll(temp);
            throw;
        }
    }

    public void Remove(string id)
    {
        var path = PathFor(id);
        if (!Directory.Exists(path))
        {
            return;
        }

        MountTable.UnmountAllUnder(path);
        var doomed = Path.Join(DirectoryPath, SnapshotStore.TempPrefix + "rm-" + Guid.NewGuid().ToString("N"));
        Directory.Move(path, doomed);
        FileTree.RemoveAll(doomed);
    }

    public void Recover()
    {
        foreach (var name in FileTree.ListNames(DirectoryPath))
        {
            if (name.StartsWith(SnapshotStore.TempPrefix, StringComparison.Ordinal))
            {
                var path = Path.Join(DirectoryPath, name);
                MountTable.UnmountAllUnder(path);
                FileTree.RemoveAll(path);
            }
        }
    }

    public static bool IsMounted(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return MountTable.ListMountPoints().Contains(full, StringComparer.Ordinal);
    }

    /// <summary>Sum of regular-file sizes below <paramref name="dir"/>, not following links.</summary>
    public static long SizeOf(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return 0;
        }

        long total = 0;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var f in new DirectoryInfo(dir).EnumerateFiles("*", options))
        {
            total += f.Length;
        }

        return total;
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$")]
    private static partial Regex IdPattern();
}
