using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>
/// Reads /etc/passwd and /etc/group inside a rootfs, following symlinks as if the rootfs were
/// <c>/</c> so an image's <c>/etc/passwd -&gt; /../../host/file</c> cannot read host files.
/// </summary>
public sealed class RootfsUserFiles : IRootfsUserFiles
{
    private const int MaxLinks = 40;

    public string? ReadPasswd(string rootfsPath) => ReadInScope(rootfsPath, "/etc/passwd");

    public string? ReadGroup(string rootfsPath) => ReadInScope(rootfsPath, "/etc/group");

    internal static string? ResolveInScope(string root, string path)
    {
        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }
                continue;
            }
            var candidate = Path.Combine(root, string.Join('/', resolved.Append(part)));
            var info = new FileInfo(candidate);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    return null;
                }
                if (target.StartsWith('/'))
                {
                    resolved.Clear();
                }
                foreach (var p in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(p);
                }
                continue;
            }
            resolved.Add(part);
        }
        return Path.Combine(root, string.Join('/', resolved));
    }

    private static string? ReadInScope(string root, string path)
    {
        var full = ResolveInScope(root, path);
        if (full is null || !File.Exists(full))
        {
            return null;
        }
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
