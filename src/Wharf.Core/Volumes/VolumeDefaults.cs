namespace Wharf.Core.Volumes;

/// <summary>Names Docker gives to volume things.</summary>
public static class VolumeDefaults
{
    /// <summary>The built-in driver; the only one Wharf has.</summary>
    public const string Driver = "local";

    /// <summary>
    /// Label put on volumes created without a name (API 1.42+); <c>volume prune</c> removes only
    /// volumes carrying it unless <c>all=true</c>.
    /// </summary>
    public const string AnonymousLabel = "com.docker.volume.anonymous";
}
