using Microsoft.Win32.SafeHandles;
using Wharf.Linux;

namespace Wharf.Snapshots.Changes;

/// <summary>
/// Reads an overlayfs upper dir into a <see cref="DiffNode"/> tree. The upper dir belongs to a
/// container that may be running, so it is walked by handles, one name at a time, never
/// following a symlink; whiteouts (0:0 character devices) become deletions and opaque
/// directories list the image entries they hide as deletions too.
/// </summary>
internal static class OverlayDiffBuilder
{
    public static DiffNode Build(string upperDir, LowerLayers lower)
    {
        using var upper = PosixAt.Open(upperDir, OpenOptions.Path | OpenOptions.Directory | OpenOptions.NoFollow);
        var root = new DiffNode { Path = "/", Upper = PosixAt.Stat(upper), Lower = lower.Lookup("/") };
        Walk(upper, root, lower);
        return root;
    }

    private static void Walk(SafeFileHandle dir, DiffNode node, LowerLayers lower)
    {
        var names = PosixAt.ListDirectory(dir).ToList();
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!PosixAt.TryStatAt(dir, name, out var st))
            {
                continue;
            }

            var path = node.Path == "/" ? "/" + name : node.Path + "/" + name;
            if (LowerLayers.IsWhiteout(st))
            {
                node.Children.Add(new DiffNode { Path = path, Lower = lower.Lookup(path), Deleted = true, Whiteout = st });
                continue;
            }

            if (st.Kind != FileKind.Directory)
            {
                node.Children.Add(new DiffNode { Path = path, Upper = st, Lower = lower.Lookup(path) });
                continue;
            }

            SafeFileHandle? sub = null;
            try
            {
                sub = PosixAt.OpenAt(dir, name, OpenOptions.ReadOnly | OpenOptions.Directory | OpenOptions.NoFollow);
            }
            catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ELOOP or Errno.ENOTDIR)
            {
                continue;
            }

            using (sub)
            {
                var opaque = PosixAt.GetXattr(sub, OverlayWhiteoutHandler.OpaqueXattr) is [(byte)'y'];
                var lowerStatus = lower.Lookup(path);
                var child = new DiffNode { Path = path, Upper = st, Lower = lowerStatus, Opaque = opaque };
                Walk(sub, child, lower);
                if (opaque && lowerStatus is { Kind: FileKind.Directory })
                {
                    var present = new HashSet<string>(child.Children.Select(c => c.Name), StringComparer.Ordinal);
                    foreach (var hidden in lower.List(path).Where(n => !present.Contains(n)))
                    {
                        var hiddenPath = path + "/" + hidden;
                        child.Children.Add(new DiffNode { Path = hiddenPath, Lower = lower.Lookup(hiddenPath), Deleted = true, HiddenByOpaque = true });
                    }

                    child.Children.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                }

                node.Children.Add(child);
            }
        }
    }
}
