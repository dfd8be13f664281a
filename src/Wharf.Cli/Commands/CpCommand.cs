using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>
/// <c>cp</c>, <c>container cp</c>: docker's copy between a container and the local file system,
/// with its rules for what lands where (see <see cref="CopyPaths"/>): the daemon only ever
/// archives a path or extracts into a directory; renaming happens by rewriting entry names.
/// </summary>
internal sealed class CpCommand : ICommand
{
    private const string StatHeader = "X-Docker-Container-Path-Stat";
    private const uint ModeDir = 1u << 31;
    private const uint ModeSymlink = 1u << 27;
    private const uint ModeDevice = 1u << 26;
    private const uint ModeIrregular = 1u << 19;

    public CommandSpec Spec { get; } = new(
        "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\twharf cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
        "Copy files/folders between a container and the local filesystem",
        [
            FlagSpec.Bool("archive", 'a', "Archive mode (copy all uid/gid information)"),
            FlagSpec.Bool("follow-link", 'L', "Always follow symbol link in SRC_PATH"),
            FlagSpec.Bool("quiet", 'q', "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached"),
        ],
        ArgsRule.Exactly(2),
        ["container cp", "cp"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var (srcContainer, srcPath) = CopyPaths.Split(invocation.Args[0]);
        var (dstContainer, dstPath) = CopyPaths.Split(invocation.Args[1]);
        if (srcPath.Length == 0)
        {
            throw new CliErrorException("source can not be empty");
        }

        if (dstPath.Length == 0)
        {
            throw new CliErrorException("destination can not be empty");
        }

        var followLink = invocation.Flags.Bool("follow-link");
        switch (srcContainer, dstContainer)
        {
            case (not null, null):
                await CopyFromContainerAsync(context, srcContainer, srcPath, dstPath, followLink, cancellationToken).ConfigureAwait(false);
                return 0;
            case (null, not null):
                await CopyToContainerAsync(context, srcPath, dstContainer, dstPath, followLink, invocation.Flags.Bool("archive"), cancellationToken).ConfigureAwait(false);
                return 0;
            case (not null, not null):
                throw new CliErrorException("copying between containers is not supported");
            default:
                throw new CliErrorException("must specify at least one container source");
        }
    }

    private static async Task CopyFromContainerAsync(CommandContext context, string container, string srcPath, string dstPath, bool followLink, CancellationToken cancellationToken)
    {
        if (dstPath != "-")
        {
            dstPath = Path.GetFullPath(dstPath) + (dstPath.EndsWith('/') && dstPath.Length > 1 ? "/" : "");
        }

        string? rebaseName = null;
        if (followLink)
        {
            var stat = await TryStatAsync(context, container, srcPath, cancellationToken).ConfigureAwait(false);
            if (stat is { } s && (s.Mode & ModeSymlink) != 0)
            {
                var target = s.LinkTarget;
                if (!target.StartsWith('/'))
                {
                    target = CopyPaths.Join(CopyPaths.SplitPathDirEntry(srcPath).Dir, target);
                }

                (srcPath, rebaseName) = CopyPaths.RebaseName(srcPath, target);
            }
        }

        var query = new QueryBuilder().Add("path", srcPath);
        var (response, body) = await context.Client.OpenStreamAsync(HttpMethod.Get, $"/containers/{ApiPath.Escape(container)}/archive", query, null, cancellationToken).ConfigureAwait(false);
        using (response)
        await using (body.ConfigureAwait(false))
        {
            if (dstPath == "-")
            {
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                var stdout = context.OpenStandardOutput();
                await body.CopyToAsync(stdout, cancellationToken).ConfigureAwait(false);
                await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            var srcStat = ParseStat(response.Headers.TryGetValues(StatHeader, out var values) ? values.FirstOrDefault() : null);
            var srcIsDir = srcStat is { } st && (st.Mode & ModeDir) != 0;

            var (dstExists, dstIsDir, dstResolved) = LocalDestination(dstPath);
            var (dstDir, dstBase) = CopyPaths.SplitPathDirEntry(dstResolved);

            // archive.PrepareArchiveCopy: a directory destination takes the entries as they are;
            // otherwise they are extracted to its parent under the destination's name.
            string extractTo;
            string? oldBase = null, newBase = null;
            if (dstExists && dstIsDir)
            {
                extractTo = dstResolved;
                if (!string.IsNullOrEmpty(rebaseName))
                {
                    (oldBase, newBase) = (CopyPaths.SplitPathDirEntry(srcPath).Base, rebaseName);
                }
            }
            else if (dstExists && srcIsDir)
            {
                throw new CliErrorException("cannot copy directory");
            }
            else if (!dstExists && !srcIsDir && CopyPaths.AssertsDirectory(dstPath))
            {
                throw new CliErrorException("no such directory");
            }
            else
            {
                extractTo = dstDir;
                (oldBase, newBase) = (CopyPaths.SplitPathDirEntry(srcPath).Base, dstBase);
            }

            await LocalArchive.ExtractAsync(body, extractTo, oldBase, newBase, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// CopyInfoDestinationPath: follows symlinks at the destination (a broken last link names
    /// the file to create); a missing destination needs an existing parent directory.
    /// </summary>
    private static (bool Exists, bool IsDir, string Path) LocalDestination(string path)
    {
        var original = path;
        for (var n = 0; ; n++)
        {
            var info = new FileInfo(path.TrimEnd('/').Length == 0 ? "/" : path.TrimEnd('/'));
            if (info.LinkTarget is { } target)
            {
                if (n > 10)
                {
                    throw new CliErrorException("too many symlinks in " + original);
                }

                path = target.StartsWith('/') ? target : CopyPaths.Join(CopyPaths.SplitPathDirEntry(path).Dir, target);
                continue;
            }

            if (Directory.Exists(path))
            {
                return (true, true, path);
            }

            if (File.Exists(path))
            {
                return (true, false, path);
            }

            var parent = CopyPaths.SplitPathDirEntry(path).Dir;
            if (!Directory.Exists(parent))
            {
                throw new CliErrorException(File.Exists(parent) ? "not a directory" : $"stat {parent}: no such file or directory");
            }

            return (false, false, path);
        }
    }

    private static async Task CopyToContainerAsync(CommandContext context, string srcPath, string container, string dstPath, bool followLink, bool archive, CancellationToken cancellationToken)
    {
        var dstInfoPath = dstPath;
        var dstStat = await TryStatAsync(context, container, dstPath, cancellationToken).ConfigureAwait(false);
        if (dstStat is { } ds && (ds.Mode & ModeSymlink) != 0)
        {
            var target = ds.LinkTarget;
            if (!target.StartsWith('/'))
            {
                target = CopyPaths.Join(CopyPaths.SplitPathDirEntry(dstPath).Dir, target);
            }

            dstInfoPath = target;
            dstStat = await TryStatAsync(context, container, target, cancellationToken).ConfigureAwait(false);
        }

        if (dstStat is { } mode && (mode.Mode & (ModeDevice | ModeIrregular)) != 0)
        {
            var what = (mode.Mode & ModeDevice) != 0 ? "got a device" : "got an irregular file";
            throw new CliErrorException($"destination \"{container}:{dstPath}\" must be a directory or a regular file: {what}");
        }

        var dstExists = dstStat is not null;
        var dstIsDir = dstStat is { } d && (d.Mode & ModeDir) != 0;
        var query = new QueryBuilder();
        Stream content;
        string resolvedDst;
        Task produce = Task.CompletedTask;
        if (srcPath == "-")
        {
            if (!dstIsDir)
            {
                throw new CliErrorException($"destination \"{container}:{dstPath}\" must be a directory");
            }

            content = context.OpenStandardInput();
            resolvedDst = dstInfoPath;
        }
        else
        {
            var (sourceDir, sourceBase, rebase, srcIsDir) = LocalSource(srcPath, followLink);
            var (dstDir, dstBase) = CopyPaths.SplitPathDirEntry(dstInfoPath);
            string? archiveName = rebase;
            if (dstExists && dstIsDir)
            {
                resolvedDst = dstInfoPath;
            }
            else if (dstExists && srcIsDir)
            {
                throw new CliErrorException("cannot copy directory");
            }
            else if (!dstExists && !srcIsDir && CopyPaths.AssertsDirectory(dstInfoPath))
            {
                throw new CliErrorException("no such directory");
            }
            else
            {
                resolvedDst = dstDir;
                archiveName = dstBase;
            }

            // Streamed: the archive is written while it is uploaded.
            var (pipe, producer) = Wharf.Oci.IO.WriterPipe.Start((s, ct) => LocalArchive.WriteAsync(sourceDir, sourceBase, archiveName, s, ct), cancellationToken);
            produce = producer;
            content = pipe.Reader.AsStream();
        }

        query.Add("path", resolvedDst).Add("noOverwriteDirNonDir", "true");
        if (archive)
        {
            query.Add("copyUIDGID", "true");
        }

        await using (content.ConfigureAwait(false))
        {
            using var body = WharfClient.StreamContent(content, "application/x-tar");
            using var response = await context.Client.SendAsync(HttpMethod.Put, $"/containers/{ApiPath.Escape(container)}/archive", query, body, cancellationToken).ConfigureAwait(false);
        }

        await produce.ConfigureAwait(false);
    }

    /// <summary>CopyInfoSourcePath: the local source, its directory part resolved, optionally its last link too.</summary>
    private static (string Dir, string Base, string? Rebase, bool IsDir) LocalSource(string path, bool followLink)
    {
        var absolute = Path.GetFullPath(path) + (CopyPaths.SpecifiesCurrentDir(path) ? "/." : path.EndsWith('/') ? "/" : "");
        string resolved;
        string? rebase = null;
        if (followLink)
        {
            var target = ResolveAll(absolute);
            (resolved, rebase) = CopyPaths.RebaseName(absolute, target);
        }
        else
        {
            var slash = absolute.LastIndexOf('/');
            var dir = ResolveAll(absolute[..(slash + 1)]);
            resolved = dir.TrimEnd('/') + "/" + absolute[(slash + 1)..];
            if (absolute.EndsWith('/') && CopyPaths.Base(absolute) != CopyPaths.Base(resolved))
            {
                rebase = CopyPaths.Base(absolute);
            }
        }

        var probe = resolved.EndsWith("/.", StringComparison.Ordinal) ? resolved[..^2] : resolved.TrimEnd('/');
        var info = new FileInfo(probe.Length == 0 ? "/" : probe);
        if (info.LinkTarget is null && !info.Exists && !Directory.Exists(info.FullName))
        {
            throw new CliErrorException($"lstat {probe}: no such file or directory");
        }

        var isDir = info.LinkTarget is null && Directory.Exists(info.FullName);
        var (sourceDir, sourceBase) = CopyPaths.SplitPathDirEntry(resolved);
        return (sourceDir, sourceBase, string.IsNullOrEmpty(rebase) ? null : rebase, isDir);
    }

    /// <summary>filepath.EvalSymlinks, tolerant of a missing path (returned cleaned).</summary>
    private static string ResolveAll(string path)
    {
        var trailing = path.EndsWith("/.", StringComparison.Ordinal) ? "/." : "";
        var clean = CopyPaths.Clean(path);
        try
        {
            var info = new DirectoryInfo(clean);
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            var full = target?.FullName ?? Path.GetFullPath(clean);
            var parent = Path.GetDirectoryName(full);
            if (parent is not null && target is null && Directory.Exists(parent))
            {
                // Resolve links in the parents too.
                var realParent = new DirectoryInfo(parent).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? parent;
                full = Path.Join(realParent, Path.GetFileName(full));
            }

            return CopyPaths.Clean(full) + trailing;
        }
        catch (IOException)
        {
            return clean + trailing;
        }
    }

    private static async Task<(uint Mode, string LinkTarget)?> TryStatAsync(CommandContext context, string container, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await context.Client.SendAsync(HttpMethod.Head, $"/containers/{ApiPath.Escape(container)}/archive", new QueryBuilder().Add("path", path), null, cancellationToken).ConfigureAwait(false);
            return ParseStat(response.Headers.TryGetValues(StatHeader, out var values) ? values.FirstOrDefault() : null);
        }
        catch (DaemonErrorException)
        {
            return null;
        }
    }

    private static (uint Mode, string LinkTarget)? ParseStat(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        try
        {
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            return (json?["mode"]?.GetValue<uint>() ?? 0, json?["linkTarget"]?.GetValue<string>() ?? "");
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
