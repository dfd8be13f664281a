namespace Wharf.Core.Containers.Files;

/// <summary>
/// Opens container root file systems for the scoped operations of <see cref="IContainerRoot"/>.
/// The root is pinned when opened (a directory handle), so later lookups cannot be redirected
/// by renames or symlinks swapped in by the container.
/// </summary>
public interface IRootfsAccess
{
    /// <summary>A root file system mounted at <paramref name="hostPath"/> (the daemon's view, without the container's mounts).</summary>
    IContainerRoot OpenDirectory(string hostPath, string containerName);

    /// <summary>
    /// The root a running container's process sees, mounts included (<c>/proc/PID/root</c>).
    /// Returns null when the process is gone or is not in a cgroup whose path contains
    /// <paramref name="cgroupMarker"/> (the container ID), which guards against a reused PID.
    /// </summary>
    IContainerRoot? TryOpenProcessRoot(int pid, string cgroupMarker, string containerName);
}
