namespace Wharf.Linux;

/// <summary>Flags for umount2(2).</summary>
[Flags]
public enum UnmountFlags
{
    None = 0,
    Force = 1,

    /// <summary>MNT_DETACH: lazy unmount, the mount leaves the namespace at once.</summary>
    Detach = 2,
}
