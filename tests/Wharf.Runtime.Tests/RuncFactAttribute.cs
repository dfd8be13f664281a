namespace Wharf.Runtime.Tests;

/// <summary>A fact that needs root, runc and a static busybox; skipped (not silently passed) elsewhere.</summary>
internal sealed class RuncFactAttribute : FactAttribute
{
    public const string Runc = "/usr/sbin/runc";
    public const string Busybox = "/bin/busybox";

    public RuncFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root";
        }
        else if (!File.Exists(Runc))
        {
            Skip = $"needs {Runc}";
        }
        else if (!File.Exists(Busybox))
        {
            Skip = $"needs a static {Busybox} (Debian package busybox-static)";
        }
    }
}
