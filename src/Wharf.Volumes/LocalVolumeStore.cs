using System.Text.Json;
using Wharf.Core.Volumes;
using Wharf.Linux;

namespace Wharf.Volumes;

/// <summary>
/// The local driver's disk layout: <c>&lt;root&gt;/&lt;name&gt;/_data</c> holds the data and
/// <c>&lt;root&gt;/&lt;name&gt;/volume.json</c> the metadata. A volume is built in a hidden
/// <c>.tmp-*</c> directory and renamed into place only when complete; removal renames it to a
/// hidden <c>.trash-*</c> directory before deleting. Hidden names can never be volume names, so a
/// killed daemon leaves no half-made or half-deleted volume visible, and the next start deletes
/// the leftovers. Callers serialise writes.
/// </summary>
internal sealed class LocalVolumeStore
{
    public const string DataDirectory = "_data";
    private const string MetadataFile = "volume.json";
    private const string TempPrefix = ".tmp-";
    private const string TrashPrefix = ".trash-";

    private static readonly EnumerationOptions AllNames = new()
    {
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    public LocalVolumeStore(string root)
    {
        Root = root;
        Directory.CreateDirectory(root);

        // Only root may look inside: volume data can hold anything (Docker uses 0701 too).
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute);
    }

    public string Root { get; }

    public string DataPath(string name) => Path.Join(Root, name, DataDirectory);

    /// <summary>Every complete volume; deletes what a killed create or remove left behind.</summary>
    public IReadOnlyList<VolumeRecord> Load(Action<string> warn)
    {
        var result = new List<VolumeRecord>();
        foreach (var dir in Directory.EnumerateDirectories(Root, "*", AllNames))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal) || name.StartsWith(TrashPrefix, StringComparison.Ordinal))
            {
                DeleteTree(dir);
                continue;
            }

            if (VolumeNames.Problem(name) is not null)
            {
                warn($"ignoring {dir}: not a volume name");
                continue;
            }

            if (Read(name, dir) is { } record)
            {
                result.Add(record);
            }
            else
            {
                warn($"ignoring {dir}: no volume data or metadata");
            }
        }

        return result;
    }

    private VolumeRecord? Read(string name, string dir)
    {
        var file = Path.Join(dir, MetadataFile);
        try
        {
            if (File.Exists(file) && JsonSerializer.Deserialize(File.ReadAllBytes(file), VolumesJsonContext.Default.VolumeMetadata) is { } meta && meta.Name == name)
            {
                return ToRecord(meta);
            }
        }
        catch (JsonException)
        {
        }

        // A data directory without (readable) metadata, e.g. one made by another engine: a plain volume.
        var data = Path.Join(dir, DataDirectory);
        return Directory.Exists(data)
            ? new VolumeRecord { Name = name, Mountpoint = data, CreatedAt = Directory.GetCreationTimeUtc(dir) }
            : null;
    }

    /// <summary>Creates the volume's directories and metadata and makes them visible in one rename.</summary>
    public VolumeRecord Create(string name, DateTimeOffset createdAt, IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? options)
    {
        var meta = new VolumeMetadata
        {
            Name = name,
            CreatedAt = createdAt,
            Labels = labels is null ? null : new Dictionary<string, string>(labels, StringComparer.Ordinal),
            Options = options is null ? null : new Dictionary<string, string>(options, StringComparer.Ordinal),
        };
        var final = Path.Join(Root, name);
        if (Directory.Exists(final) || File.Exists(final))
        {
            throw new IOException($"volume directory {final} already exists");
        }

        var temp = Path.Join(Root, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            Posix.MakeDirectory(temp, 0b111_000_001);
            Posix.MakeDirectory(Path.Join(temp, DataDirectory), 0b111_101_101);
            using (var f = new FileStream(Path.Join(temp, MetadataFile), FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(f, meta, VolumesJsonContext.Default.VolumeMetadata);
                f.Flush(flushToDisk: true);
            }

            Directory.Move(temp, final);
        }
        catch
        {
            DeleteTree(temp);
            throw;
        }

        return ToRecord(meta);
    }

    /// <summary>Hides the volume in one rename, then deletes it. Anything mounted below it is detached first.</summary>
    public void Remove(string name)
    {
        var dir = Path.Join(Root, name);
        if (!Directory.Exists(dir))
        {
            return;
        }

        MountTable.UnmountAllUnder(dir);
        var trash = Path.Join(Root, TrashPrefix + Guid.NewGuid().ToString("N"));
        Directory.Move(dir, trash);
        DeleteTree(trash);
    }

    private VolumeRecord ToRecord(VolumeMetadata meta) => new()
    {
        Name = meta.Name,
        Driver = meta.Driver,
        Mountpoint = DataPath(meta.Name),
        CreatedAt = meta.CreatedAt,
        Labels = meta.Labels,
        Options = meta.Options,
    };

    /// <summary>Deletes a tree without following symlinks or entering other filesystems.</summary>
    private static void DeleteTree(string path)
    {
        if (!Posix.TryLStat(path, out var top))
        {
            return;
        }

        MountTable.UnmountAllUnder(path);
        DeleteEntry(path, top.DeviceMajor, top.DeviceMinor);
    }

    private static void DeleteEntry(string path, uint major, uint minor)
    {
        if (!Posix.TryLStat(path, out var st))
        {
            return;
        }

        if (st.Kind != FileKind.Directory)
        {
            Posix.Unlink(path);
            return;
        }

        if (st.DeviceMajor != major || st.DeviceMinor != minor)
        {
            throw new IOException($"refusing to delete {path}: it is on another filesystem (still mounted)");
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", AllNames).ToList())
        {
            DeleteEntry(entry, major, minor);
        }

        Posix.RemoveDirectory(path);
    }
}
