using Microsoft.Win32.SafeHandles;
using Wharf.Core.Containers.Files;
using Wharf.Core.Errors;
using Wharf.Linux;

namespace Wharf.Snapshots.Rootfs;

/// <summary>
/// A container root file system held open by a directory handle. Path strings are computed by
/// <see cref="ScopedPath"/> (to name things as Docker does), and every actual lookup goes
/// through openat2 with the root as RESOLVE_IN_ROOT, so even a bug in the string arithmetic or
/// a container changing its tree meanwhile cannot reach a file outside the root.
/// </summary>
internal sealed partial class ContainerRoot : IContainerRoot
{
    private const ResolveOptions Scoped = ResolveOptions.InRoot | ResolveOptions.NoMagicLinks;

    private readonly SafeFileHandle _root;
    private readonly string _container;

    public ContainerRoot(SafeFileHandle root, string containerName)
    {
        _root = root;
        _container = containerName;
    }

    public void Dispose() => _root.Dispose();

    public ContainerPathStat Stat(string path)
    {
        var (absolute, resolved) = ResolveArchivePath(path);
        using var handle = OpenResolved(path, resolved);
        var st = PosixAt.Stat(handle);
        var linkTarget = st.Kind == FileKind.SymbolicLink ? ScopedPath.Resolve(absolute, ReadLinkOrNull, followFinal: true) : "";
        return new ContainerPathStat(
            ScopedPath.Base(absolute),
            (long)st.Size,
            GoFileMode.FromUnix(st.Mode),
            DateTimeOffset.FromUnixTimeSeconds(st.ModifySeconds).AddTicks(st.ModifyNanoseconds / 100),
            linkTarget);
    }

    public async Task WriteArchiveAsync(string path, Stream output, CancellationToken cancellationToken)
    {
        var (absolute, resolved) = ResolveArchivePath(path);

        // Docker archives Clean(resolved) and renames its last element to the requested one:
        // "/d/." gives "." and "./x", a followed "/link/" gives "link/x".
        var clean = ScopedPath.Clean(resolved);
        var rebase = ScopedPath.Base(absolute);
        var writer = new TreeTarWriter(output);
        await using (writer.ConfigureAwait(false))
        {
            if (clean == "/")
            {
                using var self = PosixAt.OpenInRoot(_root, "/", OpenOptions.Path | OpenOptions.Directory, Scoped);
                await writer.WriteTreeAsync(self, ".", PosixAt.Stat(self), rebase, cancellationToken).ConfigureAwait(false);
                return;
            }

            var (dir, name) = ScopedPath.Split(clean);
            using var parent = OpenResolved(path, dir);
            if (!PosixAt.TryStatAt(parent, name, out var st))
            {
                throw NotFound(path);
            }

            await writer.WriteTreeAsync(parent, name, st, rebase, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task ExtractAsync(string path, Stream tar, ArchiveExtractOptions options, CancellationToken cancellationToken)
    {
        // Unlike stat and archive, the last element is followed: extracting to a symlink that
        // points to a directory extracts into that directory.
        var resolved = ScopedPath.Resolve(ScopedPath.Absolute(path), ReadLinkOrNull, followFinal: true);
        using var dest = OpenResolved(path, resolved);
        var destStatus = PosixAt.Stat(dest);
        if (destStatus.Kind != FileKind.Directory)
        {
            throw WharfException.Invalid("extraction point is not a directory");
        }

        if (PosixAt.IsPseudoFileSystem(dest))
        {
            throw new WharfException(ErrorKind.Forbidden, $"cannot extract to {resolved}: it is on a kernel file system");
        }

        // Docker names a read-only mount by what it is: the root or a volume.
        var onRoot = PosixAt.MountId(_root) == PosixAt.MountId(dest);
        var readOnlyMessage = onRoot ? "container rootfs is marked read-only" : "mounted volume is marked read-only";
        await TarExtractor.ExtractAsync(dest, resolved, tar, options, readOnlyMessage, cancellationToken).ConfigureAwait(false);
    }

    public async Task ExportAsync(Stream output, CancellationToken cancellationToken)
    {
        var writer = new TreeTarWriter(output);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteChildrenAsync(_root, "", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Docker's ResolvePath: the directory part is resolved with every symlink followed, the
    /// last element is kept as given ("" after a trailing slash, "." after "/.").
    /// </summary>
    private (string Absolute, string Resolved) ResolveArchivePath(string path)
    {
        var absolute = ScopedPath.Absolute(path);
        var (dir, name) = ScopedPath.Split(absolute);
        var resolvedDir = ScopedPath.Resolve(dir, ReadLinkOrNull, followFinal: true);
        var resolved = name.Length == 0 ? (resolvedDir == "/" ? "/" : resolvedDir + "/") : ScopedPath.Join(resolvedDir, name);
        return (absolute, resolved);
    }

    /// <summary>Opens a path whose symlinks are already resolved, without following its last element.</summary>
    private SafeFileHandle OpenResolved(string requested, string resolved)
    {
        try
        {
            return PosixAt.OpenInRoot(_root, resolved, OpenOptions.Path | OpenOptions.NoFollow, Scoped);
        }
        catch (ErrnoException e) when (e.Errno == Errno.ENOENT)
        {
            throw NotFound(requested);
        }
        catch (ErrnoException e) when (e.Errno == Errno.ENOTDIR)
        {
            throw WharfException.Invalid($"lstat {resolved}: not a directory");
        }
        catch (ErrnoException e) when (e.Errno == Errno.ELOOP)
        {
            throw WharfException.Invalid($"lstat {resolved}: too many levels of symbolic links");
        }
    }

    private WharfException NotFound(string path) => WharfException.NotFound($"Could not find the file {path} in container {_container}");

    /// <summary>The link target of a symlink-free path's last element, or null when it is not a symlink.</summary>
    private string? ReadLinkOrNull(string resolvedPath)
    {
        try
        {
            using var handle = PosixAt.OpenInRoot(_root, resolvedPath, OpenOptions.Path | OpenOptions.NoFollow, Scoped);
            return PosixAt.Stat(handle).Kind == FileKind.SymbolicLink ? PosixAt.ReadLinkAt(handle, "") : null;
        }
        catch (ErrnoException e) when (e.Errno is Errno.ENOENT or Errno.ENOTDIR or Errno.ELOOP)
        {
            return null;
        }
    }
}
