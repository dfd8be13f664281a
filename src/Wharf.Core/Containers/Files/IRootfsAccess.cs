namespace Wharf.Core.Containers.Files;

/// <summary>
/// Opens container root file systems for the scoped operations of <see cref="IContainerRoot"/>.
/// The root is pinned when opened (a directory handle), so later lookups cannot be redirected
/// by renames or symlinks swapped in by the container.
/// </summary>
public interface IRootfsAccess
{
    /// <summary>
    /// A root file system mounted at <paramref name="hostPath"/> (the daemon's view, without the
    /// container's mounts). <paramref name="binds"/> (host directories or files) are bind-mounted
    /// onto their destinations when those exist inside the root, read-only ones read-only, so a
    /// stopped container's volumes can be read and written as Docker allows; they stay mounted
    /// below <paramref name="hostPath"/> until the caller unmounts everything there.
    /// </summary>
    IContainerRoot OpenDirectory(string hostPath, string containerName, IReadOnlyList<Spec.ContainerMount>? binds = null);

    /// <summary>
    /// The root a running container's process sees, mounts included (<c>/proc/PID/root</c>).
    /// Returns null when the process is gone or is not in a cgroup whose path contains
    /// <paramref name="cgroupMarker"/> (the container ID), which guards against a reused PID.
    /// </summary>
    IContainerRoot? TryOpenProcessRoot(int pid, string cgroupMarker, string containerName);
}
