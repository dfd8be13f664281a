using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>
/// Reads a rootfs's /etc/passwd and /etc/group for user resolution. A missing file is null,
/// which (as in Docker) lets numeric ids through and fails names.
/// </summary>
public interface IRootfsUserFiles
{
    string? ReadPasswd(string rootfsPath);

    string? ReadGroup(string rootfsPath);
}
