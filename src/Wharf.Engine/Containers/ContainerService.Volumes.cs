using Wharf.Core.Containers;
using Wharf.Core.Containers.Mounts;
using Wharf.Core.Containers.Spec;
using Wharf.Core.Errors;
using Wharf.Core.Volumes;
using Wharf.Oci.Image;

namespace Wharf.Engine.Containers;

/// <summary>
/// Mount points: Docker's registerMountPoints (volumes-from, then binds, then mounts; a later
/// source for the same destination wins), anonymous volumes for Config.Volumes, filling new
/// volumes from the image, and mounting volumes around each run.
/// </summary>
public sealed partial class ContainerService
{
    /// <summary>Everything the mounts of a create ask for, parsed and checked before anything is made.</summary>
    private sealed record MountPlan(
        IReadOnlyList<(ContainerRecord Source, string Mode)> VolumesFrom,
        IReadOnlyList<MountDraft> Binds,
        IReadOnlyList<MountDraft> Mounts);

    private static void ValidateMountSpecs(ContainerHostSettings host)
    {
        foreach (var m in host.Mounts)
        {
            MountParser.Validate(m, path => File.Exists(path) || Directory.Exists(path));
        }
    }

    private MountPlan PlanMounts(ContainerHostSettings host)
    {
        var from = new List<(ContainerRecord, string)>();
        foreach (var spec in host.VolumesFrom)
        {
            var (name, mode) = MountParser.ParseVolumesFrom(spec);
            ContainerRecord source;
            try
            {
                source = _store.Resolve(name);
            }
            catch (WharfException e) when (e.Kind == ErrorKind.NotFound)
            {
                throw WharfException.Invalid(e.Message);
            }

            from.Add((source, mode));
        }

        var taken = new HashSet<string>(StringComparer.Ordinal);
        var binds = new List<MountDraft>();
        foreach (var raw in host.Binds)
        {
            var bind = MountParser.ParseBind(raw, host.VolumeDriver);
            if (!taken.Add(bind.Destination) || host.Tmpfs.ContainsKey(bind.Destination))
            {
                throw WharfException.Invalid("Duplicate mount point: " + bind.Destination);
            }

            binds.Add(bind);
        }

        var mounts = new List<MountDraft>();
        foreach (var spec in host.Mounts)
        {
            var mount = MountParser.ParseMount(spec);
            if (!taken.Add(mount.Destination))
            {
                throw WharfException.Invalid("Duplicate mount point: " + spec.Target);
            }

            mounts.Add(mount);
        }

        return new MountPlan(from, binds, mounts);
    }

    /// <summary>Config.Volumes of the container: the image's merged with the request's, as Docker stores them.</summary>
    private static IReadOnlyDictionary<string, EmptyObject>? MergeVolumes(IReadOnlyDictionary<string, EmptyObject>? requested, IReadOnlyDictionary<string, EmptyObject>? image)
    {
        if (image is not { Count: > 0 })
        {
            return requested;
        }

        var merged = new Dictionary<string, EmptyObject>(requested ?? new Dictionary<string, EmptyObject>(), StringComparer.Ordinal);
        foreach (var (k, v) in image)
        {
            merged[k] = v;
        }

        return merged;
    }

    /// <summary>
    /// Creates or references the volumes of a new container and returns its mount points. On
    /// failure every reference taken is released and new anonymous volumes are removed.
    /// </summary>
    private async Task<IReadOnlyList<ContainerMountPoint>> RegisterMountPointsAsync(string id, MountPlan plan, ContainerHostSettings host, IReadOnlyDictionary<string, EmptyObject>? configVolumes, CancellationToken cancellationToken)
    {
        var points = new Dictionary<string, ContainerMountPoint>(StringComparer.Ordinal);
        var copyData = new HashSet<string>(StringComparer.Ordinal);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var anonymous = new List<string>();
        try
        {
            foreach (var (source, mode) in plan.VolumesFrom)
            {
                foreach (var m in source.MountPoints)
                {
                    if (m.Type == MountParser.Volume)
                    {
                        _volumes.Reference(m.Name, id);
                        referenced.Add(m.Name);
                    }

                    points[m.Destination] = m with { RW = m.RW && MountParser.ReadWrite(mode), Mode = "" };
                    copyData.Remove(m.Destination);
                }
            }

            foreach (var draft in plan.Binds.Concat(plan.Mounts))
            {
                ContainerMountPoint point;
                if (draft.Type == MountParser.Volume)
                {
                    var volume = await _volumes.AcquireAsync(
                        new VolumeCreateRequest { Name = draft.Name, Driver = draft.Driver, Labels = draft.VolumeLabels, Options = draft.DriverOptions },
                        id,
                        cancellationToken).ConfigureAwait(false);
                    referenced.Add(volume.Name);
                    if (draft.Name.Length == 0)
                    {
                        anonymous.Add(volume.Name);
                    }

                    point = new ContainerMountPoint
                    {
                        Type = MountParser.Volume,
                        Name = volume.Name,
                        Source = volume.Mountpoint,
                        VolumePath = volume.Mountpoint,
                        Destination = draft.Destination,
                        Driver = volume.Driver,
                        Mode = draft.Mode.Length == 0 && volume.Driver == VolumeDefaults.Driver ? "z" : draft.Mode,
                        RW = draft.RW,
                        Anonymous = draft.Name.Length == 0,
                        Subpath = draft.Subpath,
                    };
                }
                else
                {
                    point = new ContainerMountPoint
                    {
                        Type = draft.Type,
                        Source = draft.Source,
                        Destination = draft.Destination,
                        Mode = draft.Mode,
                        RW = draft.RW,
                        Propagation = draft.Propagation,
                        SkipMountpointCreation = draft.SkipMountpointCreation,
                        NonRecursive = draft.NonRecursive,
                        TmpfsOptions = draft.TmpfsOptions,
                    };
                }

                points[draft.Destination] = point;
                if (draft.Type == MountParser.Volume && draft.CopyData && draft.Subpath.Length == 0)
                {
                    copyData.Add(draft.Destination);
                }
                else
                {
                    copyData.Remove(draft.Destination);
                }
            }

            var pending = (configVolumes?.Keys ?? []).Select(MountParser.CleanPath)
                .Where(d => !points.ContainsKey(d) && !host.Tmpfs.ContainsKey(d))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (pending.Count > 0 || copyData.Count > 0)
            {
                var rootfs = await _snapshots.MountActiveAsync(id, cancellationToken).ConfigureAwait(false);
                try
                {
                    foreach (var destination in pending)
                    {
                        if (!destination.StartsWith('/'))
                        {
                            throw WharfException.Invalid($"invalid mount path: '{destination}' mount path must be absolute");
                        }

                        var hostPath = RootfsPath.Resolve(rootfs, destination);
                        if (File.Exists(hostPath))
                        {
                            throw WharfException.Invalid($"cannot mount volume over existing file, file exists {hostPath}");
                        }

                        var volume = await _volumes.AcquireAsync(new VolumeCreateRequest { Driver = host.VolumeDriver }, id, cancellationToken).ConfigureAwait(false);
                        referenced.Add(volume.Name);
                        anonymous.Add(volume.Name);
                        points[destination] = new ContainerMountPoint
                        {
                            Type = MountParser.Volume,
                            Name = volume.Name,
                            VolumePath = volume.Mountpoint,
                            Destination = destination,
                            Driver = volume.Driver,
                            Anonymous = true,
                        };
                        copyData.Add(destination);
                    }

                    foreach (var destination in copyData.Order(StringComparer.Ordinal))
                    {
                        var sourceDir = RootfsPath.Resolve(rootfs, destination);
                        if (Directory.Exists(sourceDir))
                        {
                            await _volumes.PopulateAsync(points[destination].Name, sourceDir, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    await _snapshots.UnmountActiveAsync(id, CancellationToken.None).ConfigureAwait(false);
                }
            }

            // A volume replaced by a later mount for the same destination is no longer used.
            var used = points.Values.Where(p => p.Type == MountParser.Volume).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var name in referenced.Where(n => !used.Contains(n)))
            {
                _volumes.Release(name, id);
            }

            return [.. points.Values.OrderBy(p => p.Destination, StringComparer.Ordinal)];
        }
        catch
        {
            foreach (var name in referenced)
            {
                _volumes.Release(name, id);
            }

            foreach (var name in anonymous)
            {
                await _volumes.RemoveIfUnusedAsync(name, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Turns the mount points into runtime mounts for a start, mounting volumes (and their
    /// devices) and creating missing <c>-v</c> bind sources. HostConfig.Tmpfs wins over a mount
    /// point with the same destination, as in Docker.
    /// </summary>
    private async Task<IReadOnlyList<ContainerMount>> MountVolumesAsync(ContainerRecord rec, CancellationToken cancellationToken)
    {
        var mounts = new List<ContainerMount>();
        var mounted = new List<ContainerMountPoint>();
        try
        {
            foreach (var m in rec.MountPoints)
            {
                if (rec.Host.Tmpfs.ContainsKey(m.Destination))
                {
                    continue;
                }

                switch (m.Type)
                {
                    case MountParser.Volume:
                        var path = await _volumes.MountAsync(m.Name, rec.Id, cancellationToken).ConfigureAwait(false);
                        mounted.Add(m);
                        if (m.Subpath.Length > 0)
                        {
                            path = RootfsPath.Resolve(path, m.Subpath);
                            if (!Path.Exists(path))
                            {
                                throw WharfException.Invalid($"cannot access path {path}: no such file or directory");
                            }
                        }

                        mounts.Add(new ContainerMount { Destination = m.Destination, Source = path, Writable = m.RW, Propagation = m.Propagation });
                        Publish(m, "mount", rec.Id, ("destination", m.Destination), ("propagation", m.Propagation), ("read/write", m.RW ? "true" : "false"));
                        break;
                    case MountParser.Tmpfs:
                        mounts.Add(new ContainerMount { Destination = m.Destination, Source = "tmpfs", Type = ContainerMountType.Tmpfs, Writable = m.RW, TmpfsOptions = m.TmpfsOptions });
                        break;
                    default:
                        if (!m.SkipMountpointCreation && !Path.Exists(m.Source))
                        {
                            // Docker creates a missing -v bind source as a directory.
                            try
                            {
                                Directory.CreateDirectory(m.Source);
                            }
                            catch (IOException e)
                            {
                                throw new WharfException(ErrorKind.Internal, $"error while creating mount source path '{m.Source}': {e.Message}", e);
                            }
                        }

                        mounts.Add(new ContainerMount { Destination = m.Destination, Source = m.Source, Writable = m.RW, Propagation = m.Propagation, NonRecursive = m.NonRecursive });
                        break;
                }
            }
        }
        catch
        {
            foreach (var m in mounted)
            {
                await _volumes.UnmountAsync(m.Name, rec.Id, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }

        return mounts;
    }

    /// <summary>Drops the container's mounts of its volumes after a run (devices are unmounted when unused).</summary>
    private async Task UnmountVolumesAsync(ContainerRecord rec)
    {
        foreach (var m in rec.MountPoints.Where(m => m.Type == MountParser.Volume && !rec.Host.Tmpfs.ContainsKey(m.Destination)))
        {
            try
            {
                await _volumes.UnmountAsync(m.Name, rec.Id, CancellationToken.None).ConfigureAwait(false);
                Publish(m, "unmount", rec.Id);
            }
            catch (WharfException e)
            {
                LogWarning(rec.Id, "unmount volume " + m.Name + ": " + e.Message);
            }
        }
    }

    /// <summary>Releases a removed container's volumes; with <paramref name="removeAnonymous"/> (rm -v, --rm) its anonymous volumes go too unless another container uses them.</summary>
    private async Task ReleaseVolumesAsync(ContainerRecord rec, bool removeAnonymous)
    {
        foreach (var m in rec.MountPoints.Where(m => m.Type == MountParser.Volume))
        {
            try
            {
                // Normally dropped at exit already; a run whose exit was never recorded must not pin the device.
                await _volumes.UnmountAsync(m.Name, rec.Id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (WharfException e)
            {
                LogWarning(rec.Id, "unmount volume " + m.Name + ": " + e.Message);
            }

            _volumes.Release(m.Name, rec.Id);
            if (removeAnonymous && m.Anonymous)
            {
                try
                {
                    await _volumes.RemoveIfUnusedAsync(m.Name, CancellationToken.None).ConfigureAwait(false);
                }
                catch (WharfException e)
                {
                    LogWarning(rec.Id, "remove volume " + m.Name + ": " + e.Message);
                }
            }
        }
    }

    /// <summary>
    /// Containers made before mount points were recorded have none stored (JSON without the
    /// field) and kept only their Binds, which could then only be host paths: those become bind
    /// mount points once.
    /// </summary>
    private ContainerRecord UpgradeLegacyBinds(ContainerRecord rec)
    {
        if ((IReadOnlyList<ContainerMountPoint>?)rec.MountPoints is not null)
        {
            return rec;
        }

        try
        {
            var points = (rec.Host.Binds ?? []).Select(b => MountParser.ParseBind(b, "")).Where(d => d.Type == MountParser.Bind)
                .Select(d => new ContainerMountPoint { Type = d.Type, Source = d.Source, Destination = d.Destination, Mode = d.Mode, RW = d.RW, Propagation = d.Propagation })
                .ToList();
            return _store.Update(rec.Id, r => r with { MountPoints = points });
        }
        catch (WharfException e)
        {
            LogWarning(rec.Id, "binds: " + e.Message);
            return _store.Update(rec.Id, r => r with { MountPoints = [] });
        }
    }

    /// <summary>After a daemon start: every container references its volumes again; running ones hold their mounts.</summary>
    private async Task RestoreVolumesAsync(ContainerRecord rec, bool running, CancellationToken cancellationToken)
    {
        foreach (var m in rec.MountPoints.Where(m => m.Type == MountParser.Volume))
        {
            try
            {
                _volumes.Reference(m.Name, rec.Id);
                if (running && !rec.Host.Tmpfs.ContainsKey(m.Destination))
                {
                    await _volumes.RestoreMountAsync(m.Name, rec.Id, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (WharfException e)
            {
                LogWarning(rec.Id, "volume " + m.Name + ": " + e.Message);
            }
        }
    }

    private static bool UsesVolume(ContainerRecord c, IReadOnlyList<string> values)
        => c.MountPoints.Any(m => values.Contains(m.Destination) || values.Contains(m.Name.Length > 0 ? m.Name : m.Source));

    private void Publish(ContainerMountPoint m, string action, string containerId, params (string Key, string Value)[] extra)
    {
        var attrs = new Dictionary<string, string>(StringComparer.Ordinal) { ["container"] = containerId, ["driver"] = m.Driver };
        foreach (var (k, v) in extra)
        {
            attrs[k] = v;
        }

        _events.Publish("volume", action, m.Name, attrs);
    }
}
