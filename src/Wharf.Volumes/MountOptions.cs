using Wharf.Linux;

namespace Wharf.Volumes;

/// <summary>
/// The <c>o=</c> option of a local volume, read like mount(8) and Docker's mount package do:
/// known words become mount flags (<c>ro</c>, <c>bind</c>, <c>nosuid</c>, propagation, ...), a
/// word's negation clears its flag, and everything else (<c>size=1m</c>, <c>uid=1000</c>) is
/// passed to the filesystem as data.
/// </summary>
internal static class MountOptions
{
    private const MountFlags PropagationTypes = MountFlags.Shared | MountFlags.Private | MountFlags.Slave | MountFlags.Unbindable;

    private static readonly Dictionary<string, (bool Clear, MountFlags Flag)> Words = new(StringComparer.Ordinal)
    {
        ["defaults"] = (false, MountFlags.None),
        ["ro"] = (false, MountFlags.ReadOnly),
        ["rw"] = (true, MountFlags.ReadOnly),
        ["suid"] = (true, MountFlags.NoSuid),
        ["nosuid"] = (false, MountFlags.NoSuid),
        ["dev"] = (true, MountFlags.NoDev),
        ["nodev"] = (false, MountFlags.NoDev),
        ["exec"] = (true, MountFlags.NoExec),
        ["noexec"] = (false, MountFlags.NoExec),
        ["sync"] = (false, MountFlags.Synchronous),
        ["async"] = (true, MountFlags.Synchronous),
        ["dirsync"] = (false, MountFlags.DirSync),
        ["remount"] = (false, MountFlags.Remount),
        ["mand"] = (false, MountFlags.MandatoryLock),
        ["nomand"] = (true, MountFlags.MandatoryLock),
        ["atime"] = (true, MountFlags.NoAtime),
        ["noatime"] = (false, MountFlags.NoAtime),
        ["diratime"] = (true, MountFlags.NoDirAtime),
        ["nodiratime"] = (false, MountFlags.NoDirAtime),
        ["bind"] = (false, MountFlags.Bind),
        ["rbind"] = (false, MountFlags.Bind | MountFlags.Recursive),
        ["unbindable"] = (false, MountFlags.Unbindable),
        ["runbindable"] = (false, MountFlags.Unbindable | MountFlags.Recursive),
        ["private"] = (false, MountFlags.Private),
        ["rprivate"] = (false, MountFlags.Private | MountFlags.Recursive),
        ["shared"] = (false, MountFlags.Shared),
        ["rshared"] = (false, MountFlags.Shared | MountFlags.Recursive),
        ["slave"] = (false, MountFlags.Slave),
        ["rslave"] = (false, MountFlags.Slave | MountFlags.Recursive),
        ["relatime"] = (false, MountFlags.RelAtime),
        ["norelatime"] = (true, MountFlags.RelAtime),
        ["strictatime"] = (false, MountFlags.StrictAtime),
        ["nostrictatime"] = (true, MountFlags.StrictAtime),
    };

    /// <summary>Splits an option string into mount flags and filesystem data.</summary>
    public static (MountFlags Flags, string Data) Parse(string options)
    {
        var flags = MountFlags.None;
        var data = new List<string>();
        foreach (var word in options.Split(','))
        {
            if (Words.TryGetValue(word, out var f))
            {
                flags = f.Clear ? flags & ~f.Flag : flags | f.Flag;
            }
            else if (word.Length > 0)
            {
                data.Add(word);
            }
        }

        return (flags, string.Join(',', data));
    }

    /// <summary>
    /// Mounts like Docker's mount package: the filesystem with every non-propagation flag, then
    /// the propagation change, then a read-only remount for a read-only bind (the kernel ignores
    /// MS_RDONLY on the first bind call).
    /// </summary>
    public static void Mount(string device, string target, string type, string options)
    {
        var (flags, data) = Parse(options);
        var main = flags & ~PropagationTypes;

        if ((flags & MountFlags.Remount) == 0 || data.Length > 0)
        {
            Posix.Mount(device, target, type, main, data.Length > 0 ? data : null);
        }

        if ((flags & PropagationTypes) != 0)
        {
            Posix.Mount(null, target, null, flags & (PropagationTypes | MountFlags.Recursive), null);
        }

        if ((main & (MountFlags.Bind | MountFlags.ReadOnly)) == (MountFlags.Bind | MountFlags.ReadOnly))
        {
            Posix.Mount(null, target, null, main | MountFlags.Remount, null);
        }
    }
}
