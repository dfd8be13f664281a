using System.Globalization;
using Wharf.Core.Errors;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>
/// Resolves <c>--user</c> against a rootfs's passwd and group files the way runc's (moby/sys)
/// user package does for Docker, including its error texts, so users see Docker's messages.
/// </summary>
internal static class UserResolver
{
    private const int MaxId = int.MaxValue;
    private const string RangeError = "uids and gids must be in range 0-2147483647";
    private const string NoPasswd = "no matching entries in passwd file";
    private const string NoGroup = "no matching entries in group file";

    /// <summary>Docker's getUser: the primary gid first in the additional gids, then /etc/group memberships, then --group-add.</summary>
    public static Oci.Runtime.User Resolve(string userSpec, IReadOnlyList<string> groupAdd, string? passwd, string? group)
    {
        var user = ResolveExecUser(userSpec, passwd, group);
        var gids = new List<uint> { (uint)user.Gid };
        gids.AddRange(user.SupplementaryGids.Select(g => (uint)g));
        if (groupAdd.Count > 0)
        {
            gids.AddRange(AdditionalGroups(groupAdd, group).Select(g => (uint)g));
        }
        return new Oci.Runtime.User { Uid = (uint)user.Uid, Gid = (uint)user.Gid, AdditionalGids = gids };
    }

    public static ResolvedUser ResolveExecUser(string userSpec, string? passwd, string? group)
    {
        var colon = userSpec.IndexOf(':', StringComparison.Ordinal);
        var userArg = colon < 0 ? userSpec : userSpec[..colon];
        // Go splits on every colon and takes the second field, so "a:b:c" means group "b".
        var groupArg = colon < 0 ? "" : userSpec[(colon + 1)..].Split(':')[0];
        var (uidArg, isUid) = ParseNumeric(userArg);
        var (gidArg, isGid) = ParseNumeric(groupArg);

        int uid = 0, gid = 0;
        var home = "";
        IReadOnlyList<int> sgids = [];
        string? matchedName = null;

        var users = passwd is null ? [] : ParsePasswd(passwd).Where(u =>
            userArg.Length == 0 ? u.Uid == 0 : isUid ? u.Uid == uidArg : u.Name == userArg).ToList();
        if (users.Count > 0)
        {
            matchedName = users[0].Name;
            (uid, gid, home) = (users[0].Uid, users[0].Gid, users[0].Home);
        }
        else if (userArg.Length > 0)
        {
            if (!isUid)
            {
                throw WharfException.Invalid($"unable to find user {userArg}: {NoPasswd}");
            }
            uid = uidArg;
        }

        if (groupArg.Length > 0 || matchedName is not null)
        {
            var groups = group is null ? [] : ParseGroup(group).Where(g =>
                groupArg.Length == 0 ? g.Members.Contains(matchedName!) : isGid ? g.Gid == gidArg : g.Name == groupArg).ToList();
            if (groupArg.Length > 0)
            {
                if (groups.Count > 0)
                {
                    gid = groups[0].Gid;
                }
                else if (!isGid)
                {
                    throw WharfException.Invalid($"unable to find group {groupArg}: {NoGroup}");
                }
                else
                {
                    gid = gidArg;
                }
            }
            else if (groups.Count > 0)
            {
                // Supplementary groups only in the implicit form ("name", not "name:group").
                sgids = [.. groups.Select(g => g.Gid)];
            }
        }
        return new ResolvedUser(uid, gid, sgids, home);
    }

    /// <summary>--group-add: names must exist in /etc/group; numbers may be absent. Duplicates collapse, order kept.</summary>
    public static IReadOnlyList<int> AdditionalGroups(IReadOnlyList<string> additional, string? group)
    {
        var args = additional.Select(a => (name: a, parsed: ParseNumeric(a))).ToList();
        var groups = group is null ? [] : ParseGroup(group).ToList();
        var result = new List<int>();
        foreach (var (name, (id, numeric)) in args)
        {
            var match = groups.FirstOrDefault(g => numeric ? g.Gid == id : g.Name == name);
            int gid;
            if (match is not null)
            {
                if (match.Gid is < 0 or > MaxId)
                {
                    throw WharfException.Invalid(RangeError);
                }
                gid = match.Gid;
            }
            else if (!numeric)
            {
                throw WharfException.Invalid($"unable to find group {name}: {NoGroup}");
            }
            else
            {
                gid = id;
            }
            if (!result.Contains(gid))
            {
                result.Add(gid);
            }
        }
        return result;
    }

    internal static IEnumerable<PasswdEntry> ParsePasswd(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var f = line.Split(':');
            yield return new PasswdEntry(Field(f, 0), Atoi(Field(f, 2)), Atoi(Field(f, 3)), Field(f, 5));
        }
    }

    internal static IEnumerable<GroupEntry> ParseGroup(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var f = line.Split(':');
            var members = Field(f, 3);
            yield return new GroupEntry(Field(f, 0), Atoi(Field(f, 2)), members.Length == 0 ? [] : members.Split(','));
        }
    }

    /// <summary>Go's parseNumeric: not a number is (0, false); a number out of 0..MaxInt32 is the range error.</summary>
    private static (int Id, bool Numeric) ParseNumeric(string value)
    {
        if (value.Length == 0)
        {
            return (0, false);
        }
        var digits = value[0] is '+' or '-' ? value[1..] : value;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return (0, false);
        }
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) || id is < 0 or > MaxId)
        {
            throw WharfException.Invalid(RangeError);
        }
        return ((int)id, true);
    }

    private static string Field(string[] f, int i) => i < f.Length ? f[i] : "";

    private static int Atoi(string s) => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
