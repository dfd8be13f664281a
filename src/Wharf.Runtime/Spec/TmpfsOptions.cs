using Wharf.Core.Errors;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>
/// Docker's tmpfs option handling: defaults <c>noexec,nosuid,nodev,rprivate</c> then the user's,
/// merged so that a later flag wins over an earlier one touching the same mount flag
/// (<c>exec</c> beats <c>noexec</c>) and a later <c>size=</c> beats an earlier one.
/// </summary>
internal static class TmpfsOptions
{
    // Flag name to the kernel flag it sets or clears; propagation flags share one key.
    private static readonly Dictionary<string, string> FlagKeys = new(StringComparer.Ordinal)
    {
        ["ro"] = "rdonly", ["rw"] = "rdonly",
        ["suid"] = "nosuid", ["nosuid"] = "nosuid",
        ["dev"] = "nodev", ["nodev"] = "nodev",
        ["exec"] = "noexec", ["noexec"] = "noexec",
        ["sync"] = "sync", ["async"] = "sync",
        ["dirsync"] = "dirsync", ["remount"] = "remount",
        ["mand"] = "mand", ["nomand"] = "mand",
        ["atime"] = "noatime", ["noatime"] = "noatime",
        ["diratime"] = "nodiratime", ["nodiratime"] = "nodiratime",
        ["relatime"] = "relatime", ["norelatime"] = "relatime",
        ["strictatime"] = "strictatime", ["nostrictatime"] = "strictatime",
        ["bind"] = "propagation", ["rbind"] = "propagation", ["unbindable"] = "propagation",
        ["runbindable"] = "propagation", ["private"] = "propagation", ["rprivate"] = "propagation",
        ["shared"] = "propagation", ["rshared"] = "propagation", ["slave"] = "propagation",
        ["rslave"] = "propagation",
    };

    private static readonly HashSet<string> DataKeys = new(StringComparer.Ordinal)
    {
        "", "size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol",
    };

    public static IReadOnlyList<string> Build(string? userOptions)
    {
        List<string> options = ["noexec", "nosuid", "nodev", "rprivate"];
        if (!string.IsNullOrEmpty(userOptions))
        {
            options.AddRange(userOptions.Split(','));
        }
        return Merge(options);
    }

    internal static IReadOnlyList<string> Merge(IReadOnlyList<string> options)
    {
        var seenFlags = new HashSet<string>(StringComparer.Ordinal);
        var seenData = new HashSet<string>(StringComparer.Ordinal);
        var merged = new List<string>();
        for (var i = options.Count - 1; i >= 0; i--)
        {
            var option = options[i];
            if (option == "defaults")
            {
                continue;
            }
            if (FlagKeys.TryGetValue(option, out var key))
            {
                if (seenFlags.Add(key))
                {
                    merged.Insert(0, option);
                }
                continue;
            }
            var eq = option.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? option : option[..eq];
            if (eq < 0 || !DataKeys.Contains(name))
            {
                throw WharfException.Invalid($"invalid tmpfs option \"{name}\"");
            }
            if (seenData.Add(name))
            {
                merged.Insert(0, option);
            }
        }
        return merged;
    }
}
