namespace Wharf.Core.Volumes;

/// <summary>
/// What the container engine needs from volumes.
/// <para>
/// References: a container that mounts a volume holds a reference (its ID) from create until
/// removal, so the volume cannot be removed or pruned meanwhile. <see cref="AcquireAsync"/>
/// creates (or finds) and references in one step, so a concurrent prune cannot take a volume
/// between the two.
/// </para>
/// <para>
/// Mounts: a volume with a <c>type</c>/<c>device</c> option is mounted at its data path on the
/// first <see cref="MountAsync"/> and unmounted after the last <see cref="UnmountAsync"/>; each
/// caller passes its own mount reference (a container ID). Both are idempotent per reference.
/// </para>
/// </summary>
public interface IContainerVolumes
{
    /// <summary>Creates or finds the volume and adds <paramref name="reference"/> to its references.</summary>
    Task<VolumeRecord> AcquireAsync(VolumeCreateRequest request, string reference, CancellationToken cancellationToken);

    /// <summary>Adds a reference to an existing volume (volumes-from, daemon restart); NotFound when it is gone.</summary>
    VolumeRecord Reference(string name, string reference);

    /// <summary>Drops a reference; unknown names and references are ignored.</summary>
    void Release(string name, string reference);

    /// <summary>Makes the volume's data available (mounting its device if it has one) and returns its host path.</summary>
    Task<string> MountAsync(string name, string mountReference, CancellationToken cancellationToken);

    /// <summary>Drops a mount reference; the device is unmounted when none is left.</summary>
    Task UnmountAsync(string name, string mountReference, CancellationToken cancellationToken);

    /// <summary>
    /// Records a mount reference of a container that kept running while the daemon was down,
    /// mounting the device only if it is not mounted any more.
    /// </summary>
    Task RestoreMountAsync(string name, string mountReference, CancellationToken cancellationToken);

    /// <summary>
    /// Copies the tree at <paramref name="sourceDirectory"/> (a directory in a container's root
    /// filesystem) into the volume if the volume is empty, keeping owners, modes, times, xattrs
    /// and hard links, and gives the volume's root the source directory's owner and mode.
    /// Symlinks are copied as links, never followed.
    /// </summary>
    Task PopulateAsync(string name, string sourceDirectory, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a volume unless something still references it (then it is kept, quietly).
    /// Returns whether it was removed.
    /// </summary>
    Task<bool> RemoveIfUnusedAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Unmounts devices of volumes no container has mounted (left mounted by a daemon that was
    /// killed). Called once after the containers restored their references and mounts.
    /// </summary>
    Task ReconcileMountsAsync(CancellationToken cancellationToken);
}
