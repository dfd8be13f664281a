using Wharf.Core.Errors;
using Wharf.Core.Volumes;
using Wharf.Linux;

namespace Wharf.Volumes;

public sealed partial class VolumeService
{
    public async Task<VolumeRecord> AcquireAsync(VolumeCreateRequest request, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return CreateLocked(request, reference).Record;
        }
        finally
        {
            _gate.Release();
        }
    }

    public VolumeRecord Reference(string name, string reference)
    {
        lock (_sync)
        {
            var state = _volumes.GetValueOrDefault(name) ?? throw NoSuchVolume(name);
            state.References.Add(reference);
            return state.Record;
        }
    }

    public void Release(string name, string reference)
    {
        lock (_sync)
        {
            _volumes.GetValueOrDefault(name)?.References.Remove(reference);
        }
    }

    public async Task<string> MountAsync(string name, string mountReference, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = Require(name);
            if (state.NeedsMount && !state.Mounted)
            {
                MountDevice(state);
            }

            lock (_sync)
            {
                state.ActiveMounts.Add(mountReference);
            }

            return state.Record.Mountpoint;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task UnmountAsync(string name, string mountReference, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Find(name) is not { } state)
            {
                return;
            }

            bool idle;
            lock (_sync)
            {
                state.ActiveMounts.Remove(mountReference);
                idle = state.ActiveMounts.Count == 0;
            }

            if (idle && state.Mounted)
            {
                UnmountDevice(state);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RestoreMountAsync(string name, string mountReference, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = Require(name);
            if (state.NeedsMount && !state.Mounted)
            {
                // The container kept running but its volume's filesystem is gone: mount it again
                // for the next start (the running process keeps what it had).
                MountDevice(state);
            }

            lock (_sync)
            {
                state.ActiveMounts.Add(mountReference);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task PopulateAsync(string name, string sourceDirectory, CancellationToken cancellationToken)
    {
        var reference = "populate-" + Guid.NewGuid().ToString("N");
        var path = await MountAsync(name, reference, cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Run(
                () =>
                {
                    if (TreeCopy.IsEmptyDirectory(path))
                    {
                        TreeCopy.CopyContentsInto(sourceDirectory, path, cancellationToken);
                    }
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new WharfException(ErrorKind.Internal, $"failed to populate volume: {e.Message}", e);
        }
        finally
        {
            await UnmountAsync(name, reference, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task<bool> RemoveIfUnusedAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Find(name) is not { } state)
            {
                return false;
            }

            lock (_sync)
            {
                if (state.References.Count > 0 || state.ActiveMounts.Count > 0)
                {
                    return false;
                }
            }

            RemoveLocked(state);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ReconcileMountsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<VolumeState> stale;
            lock (_sync)
            {
                stale = [.. _volumes.Values.Where(s => s.Mounted && s.ActiveMounts.Count == 0)];
            }

            foreach (var state in stale)
            {
                try
                {
                    UnmountDevice(state);
                }
                catch (WharfException e)
                {
                    LogWarning(state.Record.Name, e.Message);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Mounts the volume's filesystem at its data path as Docker's local driver does. Holds the gate.</summary>
    private void MountDevice(VolumeState state)
    {
        var options = state.Record.Options!;
        var device = options.GetValueOrDefault("device", "");
        var type = options.GetValueOrDefault("type", "");
        var o = options.GetValueOrDefault("o", "");
        var target = state.Record.Mountpoint;
        if (device.Length == 0)
        {
            throw new WharfException(ErrorKind.Internal, $"error while mounting volume '{target}': missing device in volume options");
        }

        try
        {
            MountOptions.Mount(device, target, type, o);
        }
        catch (ErrnoException e)
        {
            var data = MountOptions.Parse(o).Data;
            throw new WharfException(ErrorKind.Internal, $"error while mounting volume '{target}': failed to mount local volume: mount {device}:{target}{(data.Length > 0 ? ", data: " + data : "")}: {Describe(e)}", e);
        }

        state.Mounted = true;
        LogDebug(state.Record.Name, "mounted " + device + " at " + target);
    }

    /// <summary>Unmounts the volume's filesystem; a path that is not mounted any more is fine. Holds the gate.</summary>
    private void UnmountDevice(VolumeState state)
    {
        var target = state.Record.Mountpoint;
        try
        {
            Posix.Unmount(target, UnmountFlags.None);
        }
        catch (ErrnoException e) when (e.Errno is Errno.EINVAL or Errno.ENOENT)
        {
            // Not mounted (any more).
        }
        catch (ErrnoException e) when (e.Errno == Errno.EBUSY)
        {
            // Still in use by a process that outlived its container; detach so it goes when that does.
            Posix.Unmount(target, UnmountFlags.Detach);
        }
        catch (ErrnoException e)
        {
            throw new WharfException(ErrorKind.Internal, $"error while unmounting volume {state.Record.Name}: {Describe(e)}", e);
        }

        state.Mounted = false;
    }

    private static string Describe(ErrnoException e) => System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(e.Errno).ToLowerInvariant();
}
