using System.Text.Json;
using Wharf.Core.Containers;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

/// <summary>
/// Containers on disk (<c>&lt;root&gt;/&lt;id&gt;/config.json</c>, written atomically) and in
/// memory, with the name index. A directory without a readable config is what a killed create
/// left behind; <see cref="Load"/> reports those so the service can clean them up.
/// </summary>
public sealed class ContainerStore
{
    private const string ConfigFile = "config.json";
    private readonly string _root;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ContainerRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byName = new(StringComparer.Ordinal);

    public ContainerStore(string root)
    {
        _root = root;
        Directory.CreateDirectory(root);
    }

    public string DirectoryOf(string id) => Path.Combine(_root, id);

    /// <summary>Reads every container; returns the IDs of directories that hold no valid container.</summary>
    public IReadOnlyList<string> Load()
    {
        var broken = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(_root))
        {
            var id = Path.GetFileName(dir);
            var file = Path.Combine(dir, ConfigFile);
            foreach (var tmp in Directory.EnumerateFiles(dir, ConfigFile + ".tmp-*"))
            {
                File.Delete(tmp);
            }

            try
            {
                var rec = File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllBytes(file), EngineJsonContext.Default.ContainerRecord) : null;
                if (rec is null || rec.Id != id)
                {
                    broken.Add(id);
                    continue;
                }

                lock (_lock)
                {
                    _byId[id] = rec;
                    _byName[rec.Name] = id;
                }
            }
            catch (JsonException)
            {
                broken.Add(id);
            }
        }

        return broken;
    }

    /// <summary>Adds a new container, claiming its name atomically (409 when taken).</summary>
    public void Add(ContainerRecord rec)
    {
        lock (_lock)
        {
            if (_byName.TryGetValue(rec.Name, out var other))
            {
                throw ContainerNames.NameInUse(rec.Name, other);
            }

            Directory.CreateDirectory(DirectoryOf(rec.Id));
            Write(rec);
            _byId[rec.Id] = rec;
            _byName[rec.Name] = rec.Id;
        }
    }

    /// <summary>Replaces a container's record through <paramref name="change"/>; returns the new one.</summary>
    public ContainerRecord Update(string id, Func<ContainerRecord, ContainerRecord> change)
    {
        lock (_lock)
        {
            var current = _byId.GetValueOrDefault(id) ?? throw WharfException.NotFound($"No such container: {id}");
            var next = change(current);
            if (next.Name != current.Name)
            {
                if (_byName.TryGetValue(next.Name, out var other) && other != id)
                {
                    throw ContainerNames.NameInUse(next.Name, other);
                }

                _byName.Remove(current.Name);
                _byName[next.Name] = id;
            }

            Write(next);
            _byId[id] = next;
            return next;
        }
    }

    public void Remove(string id)
    {
        lock (_lock)
        {
            if (_byId.Remove(id, out var rec))
            {
                _byName.Remove(rec.Name);
            }
        }

        var dir = DirectoryOf(id);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public ContainerRecord? Get(string id)
    {
        lock (_lock)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    public bool NameTaken(string name)
    {
        lock (_lock)
        {
            return _byName.ContainsKey(name);
        }
    }

    public IReadOnlyList<ContainerRecord> All()
    {
        lock (_lock)
        {
            return [.. _byId.Values];
        }
    }

    /// <summary>
    /// Docker's lookup order: full ID, exact name (with or without '/'), then a unique ID prefix.
    /// </summary>
    public ContainerRecord Resolve(string idOrName)
    {
        lock (_lock)
        {
            if (_byId.TryGetValue(idOrName, out var byId))
            {
                return byId;
            }

            var name = idOrName.StartsWith('/') ? idOrName[1..] : idOrName;
            if (_byName.TryGetValue(name, out var named))
            {
                return _byId[named];
            }

            if (idOrName.Length > 0)
            {
                var matches = _byId.Keys.Where(k => k.StartsWith(idOrName, StringComparison.Ordinal)).Take(2).ToList();
                if (matches.Count == 1)
                {
                    return _byId[matches[0]];
                }

                if (matches.Count > 1)
                {
                    throw WharfException.Invalid($"multiple IDs found with provided prefix: {idOrName}");
                }
            }
        }

        throw WharfException.NotFound($"No such container: {idOrName}");
    }

    private void Write(ContainerRecord rec)
    {
        var path = Path.Combine(DirectoryOf(rec.Id), ConfigFile);
        var temp = path + ".tmp-" + Environment.ProcessId;
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(f, rec, EngineJsonContext.Default.ContainerRecord);
            f.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
