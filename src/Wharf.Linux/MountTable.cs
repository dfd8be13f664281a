using System.Text;

namespace Wharf.Linux;

/// <summary>Reads the calling process's mount table (/proc/self/mountinfo).</summary>
public static class MountTable
{
    /// <summary>Mount points in mount order, with mountinfo's octal escapes (\040 etc.) decoded.</summary>
    public static IReadOnlyList<string> ListMountPoints()
    {
        var result = new List<string>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // Fields: id parent major:minor root mountpoint options ...
            var fields = line.Split(' ');
            if (fields.Length > 4)
            {
                result.Add(Unescape(fields[4]));
            }
        }

        return result;
    }

    /// <summary>
    /// Lazily unmounts every mount at or below <paramref name="path"/>, deepest first, so a
    /// following recursive delete cannot walk into a mounted filesystem. Returns how many.
    /// </summary>
    public static int UnmountAllUnder(string path)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var prefix = root + "/";
        var targets = ListMountPoints()
            .Where(m => m == root || m.StartsWith(prefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(m => m.Length)
            .ToList();
        var count = 0;
        foreach (var target in targets)
        {
            try
            {
                Posix.Unmount(target, UnmountFlags.Detach);
                count++;
            }
            catch (ErrnoException e) when (e.Errno is Errno.EINVAL or Errno.ENOENT)
            {
                // Already gone (a parent's detach took it along).
            }
        }

        return count;
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }

        var bytes = new List<byte>(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && IsOctal(s[i + 1]) && IsOctal(s[i + 2]) && IsOctal(s[i + 3]))
            {
                bytes.Add((byte)(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0')));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(s[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
