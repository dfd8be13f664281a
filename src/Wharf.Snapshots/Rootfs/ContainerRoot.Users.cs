using System.Globalization;
using Wharf.Core.Errors;
using Wharf.Linux;

namespace Wharf.Snapshots.Rootfs;

internal sealed partial class ContainerRoot
{
    private const int MaxDatabaseBytes = 4 * 1024 * 1024;

    public (uint Uid, uint Gid) LookupUser(string user)
    {
        var colon = user.IndexOf(':', StringComparison.Ordinal);
        var userPart = colon < 0 ? user : user[..colon];
        var groupPart = colon < 0 ? null : user[(colon + 1)..];
        var passwd = ReadDatabase("/etc/passwd");

        uint uid;
        uint? primaryGid = null;
        if (uint.TryParse(userPart, NumberStyles.None, CultureInfo.InvariantCulture, out var numericUid))
        {
            uid = numericUid;
            var row = passwd.FirstOrDefault(f => f.Length > 3 && f[2] == userPart);
            if (row is not null && uint.TryParse(row[3], NumberStyles.None, CultureInfo.InvariantCulture, out var g))
            {
                primaryGid = g;
            }
        }
        else
        {
            var row = passwd.FirstOrDefault(f => f.Length > 3 && f[0] == userPart)
                ?? throw WharfException.NotFound($"unable to find user {userPart}: no matching entries in passwd file");
            uid = uint.Parse(row[2], NumberStyles.None, CultureInfo.InvariantCulture);
            primaryGid = uint.Parse(row[3], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        if (string.IsNullOrEmpty(groupPart))
        {
            return (uid, primaryGid ?? 0);
        }

        if (uint.TryParse(groupPart, NumberStyles.None, CultureInfo.InvariantCulture, out var numericGid))
        {
            return (uid, numericGid);
        }

        var group = ReadDatabase("/etc/group").FirstOrDefault(f => f.Length > 2 && f[0] == groupPart)
            ?? throw WharfException.NotFound($"unable to find group {groupPart}: no matching entries in group file");
        return (uid, uint.Parse(group[2], NumberStyles.None, CultureInfo.InvariantCulture));
    }

    /// <summary>Rows of a colon-separated database file in the container; empty when it is absent.</summary>
    private List<string[]> ReadDatabase(string path)
    {
        string text;
        try
        {
            using var handle = PosixAt.OpenInRoot(_root, path, OpenOptions.ReadOnly | OpenOptions.NonBlock, Scoped);
            var st = PosixAt.Stat(handle);
            if (st.Kind != FileKind.RegularFile)
            {
                return [];
            }

            using var stream = new FileStream(handle, FileAccess.Read, 1, isAsync: false);
            var buffer = new byte[(int)Math.Min(MaxDatabaseBytes, (long)st.Size + 1)];
            var total = 0;
            int n;
            while (total < buffer.Length && (n = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += n;
            }

            text = System.Text.Encoding.UTF8.GetString(buffer, 0, total);
        }
        catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP)
        {
            return [];
        }

        return [.. text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':'))];
    }
}
