using Wharf.Linux;

namespace Wharf.Snapshots.Changes;

/// <summary>
/// The image as overlayfs would show it from its diff dirs (top layer first), for comparing a
/// container's upper dir with it: a whiteout hides a name in the layers below, an opaque
/// directory hides the lower layers' contents of that directory, a non-directory hides a
/// directory of the same name below it. Committed snapshots never change, so plain paths are
/// safe here.
/// </summary>
internal sealed class LowerLayers(IReadOnlyList<string> layers)
{
    /// <summary>What the image has at <paramref name="path"/> ("/a/b"), or null.</summary>
    public FileStatus? Lookup(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return layers.Count > 0 && Posix.TryLStat(layers[0], out var rootStatus) ? rootStatus : null;
        }

        IReadOnlyList<string> candidates = layers;
        var relative = "";
        for (var i = 0; i < parts.Length; i++)
        {
            relative = relative.Length == 0 ? parts[i] : relative + "/" + parts[i];
            var isLast = i == parts.Length - 1;
            var next = new List<string>();
            foreach (var layer in candidates)
            {
                var full = Path.Join(layer, relative);
                if (!Posix.TryLStat(full, out var st))
                {
                    continue;
                }

                if (IsWhiteout(st))
                {
                    break;
                }

                if (isLast)
                {
                    return st;
                }

                if (st.Kind != FileKind.Directory)
                {
                    break;
                }

                next.Add(layer);
                if (IsOpaque(full))
                {
                    break;
                }
            }

            if (next.Count == 0)
            {
                return null;
            }

            candidates = next;
        }

        return null;
    }

    /// <summary>The names the image shows in the directory <paramref name="path"/>.</summary>
    public IReadOnlyList<string> List(string path)
    {
        var relative = path.Trim('/');
        var visible = new SortedSet<string>(StringComparer.Ordinal);
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in DirectoryLayers(relative))
        {
            var full = relative.Length == 0 ? layer : Path.Join(layer, relative);
            foreach (var name in FileTree.ListNames(full))
            {
                if (hidden.Contains(name) || visible.Contains(name))
                {
                    continue;
                }

                if (Posix.TryLStat(Path.Join(full, name), out var st) && !IsWhiteout(st))
                {
                    visible.Add(name);
                }

                // Whatever this layer has under the name hides the name in the layers below.
                hidden.Add(name);
            }

            if (IsOpaque(full))
            {
                break;
            }
        }

        return [.. visible];
    }

    /// <summary>The layers (top first) that contribute entries to the directory <paramref name="relative"/>.</summary>
    private List<string> DirectoryLayers(string relative)
    {
        var result = new List<string>();
        if (relative.Length == 0)
        {
            result.AddRange(layers);
            return result;
        }

        var parts = relative.Split('/');
        IReadOnlyList<string> candidates = layers;
        var walked = "";
        foreach (var part in parts)
        {
            walked = walked.Length == 0 ? part : walked + "/" + part;
            var next = new List<string>();
            foreach (var layer in candidates)
            {
                var full = Path.Join(layer, walked);
                if (!Posix.TryLStat(full, out var st))
                {
                    continue;
                }

                if (st.Kind != FileKind.Directory)
                {
                    break;
                }

                next.Add(layer);
                if (IsOpaque(full))
                {
                    break;
                }
            }

            candidates = next;
        }

        result.AddRange(candidates);
        return result;
    }

    public static bool IsWhiteout(FileStatus st) => st.Kind == FileKind.CharacterDevice && st.RdevMajor == 0 && st.RdevMinor == 0;

    private static bool IsOpaque(string path)
    {
        try
        {
            return Posix.LGetXattr(path, OverlayWhiteoutHandler.OpaqueXattr) is [(byte)'y'];
        }
        catch (ErrnoException e) when (e.Errno is Errno.EOPNOTSUPP or Errno.ENOENT)
        {
            return false;
        }
    }
}
