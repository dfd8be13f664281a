using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Wharf.Build.Parsing;
using Wharf.Core.Errors;

namespace Wharf.Build;

/// <summary>
/// The build context of <c>POST /build?remote=</c>, fetched by the daemon as dockerd's legacy
/// builder fetches it: a git repository (a URL ending in <c>.git</c>, <c>git://</c>,
/// <c>git@</c>, or here also a local repository's absolute path or <c>file://</c> URL) is
/// cloned with <c>git</c> at the fragment's <c>#ref:subdir</c>; any other http(s) URL is
/// downloaded, and is the context when it is a tar (plain or gzip), else the Dockerfile itself
/// with an empty context. Bounded: the download's size cap and stall timeout, a time limit and a
/// size cap on the checkout, each failing as a clear 400.
/// </summary>
internal sealed partial class RemoteContext
{
    /// <summary>Downloads URL contexts (1 GiB cap, 60 s stall timeout unless a test sets less).</summary>
    public RemoteDownloader Downloader { get; init; } = new();

    /// <summary>How long a clone may take.</summary>
    public TimeSpan GitTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The largest checkout accepted (bytes of files, .git excluded).</summary>
    public long MaxGitBytes { get; init; } = 1L << 30;

    internal enum Kind
    {
        Git,
        Url,
    }

    [GeneratedRegex(@"^https?://.*\.git(#.+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex HttpGitUrl();

    /// <summary>How dockerd reads the remote parameter (and local repositories, a Wharf addition).</summary>
    internal static Kind Classify(string remote)
    {
        if (remote.StartsWith("git://", StringComparison.Ordinal) || remote.StartsWith("git@", StringComparison.Ordinal)
            || remote.StartsWith("github.com/", StringComparison.Ordinal) || remote.StartsWith("file://", StringComparison.Ordinal)
            || remote.StartsWith('/') || HttpGitUrl().IsMatch(remote))
        {
            return Kind.Git;
        }

        if (RemoteDownloader.IsUrl(remote))
        {
            return Kind.Url;
        }

        throw WharfException.Invalid($"remoteURL ({remote}) could not be recognized as URL");
    }

    /// <summary>Splits <c>url#ref:subdir</c>; an empty ref is the remote's default branch.</summary>
    internal static (string Url, string? Ref, string Subdir) ParseGitUrl(string remote)
    {
        var hash = remote.IndexOf('#', StringComparison.Ordinal);
        var url = hash < 0 ? remote : remote[..hash];
        var fragment = hash < 0 ? "" : remote[(hash + 1)..];
        var colon = fragment.IndexOf(':', StringComparison.Ordinal);
        var reference = colon < 0 ? fragment : fragment[..colon];
        var subdir = colon < 0 ? "" : fragment[(colon + 1)..];
        if (url.StartsWith("github.com/", StringComparison.Ordinal))
        {
            url = "https://" + url;
        }

        if (reference.StartsWith('-') || url.StartsWith('-') || reference.Contains("..", StringComparison.Ordinal) || reference.Any(char.IsWhiteSpace))
        {
            throw WharfException.Invalid($"invalid git reference in {remote}");
        }

        var clean = DockerIgnore.Clean(subdir.Length == 0 ? "." : subdir);
        if (clean.StartsWith("..", StringComparison.Ordinal) || clean.StartsWith('/'))
        {
            throw WharfException.Invalid($"subdirectory {subdir} of {remote} is outside the repository");
        }

        return (url, reference.Length == 0 ? null : reference, clean == "." ? "" : clean);
    }

    /// <summary>
    /// Fetches the context into <paramref name="root"/>. Returns the Dockerfile's text when the
    /// remote was a Dockerfile rather than a context (the context is then empty).
    /// </summary>
    public async Task<(ContextDir Context, string? DockerfileText)> FetchAsync(string remote, string tmp, string root, CancellationToken cancellationToken)
    {
        if (Classify(remote) == Kind.Git)
        {
            return (await CloneAsync(remote, tmp, root, cancellationToken).ConfigureAwait(false), null);
        }

        var (path, _, _) = await Downloader.DownloadAsync(remote, tmp, cancellationToken).ConfigureAwait(false);
        try
        {
            var head = new byte[512];
            int n;
            var probe = File.OpenRead(path);
            await using (probe.ConfigureAwait(false))
            {
                n = await probe.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }

            if (n == 0)
            {
                throw WharfException.Invalid($"unable to prepare context: {remote}: empty response");
            }

            if (IsGzip(head) || IsTar(head, n))
            {
                var file = File.OpenRead(path);
                await using (file.ConfigureAwait(false))
                {
                    Stream tar = IsGzip(head) ? new GZipStream(file, CompressionMode.Decompress) : file;
                    await using (tar.ConfigureAwait(false))
                    {
                        return (await ContextDir.ExtractAsync(tar, root, cancellationToken).ConfigureAwait(false), null);
                    }
                }
            }

            if (IsOtherArchive(head))
            {
                throw WharfException.Invalid($"unable to prepare context: {remote}: only plain and gzip-compressed tar contexts are supported");
            }

            var text = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
            return (ContextDir.Empty(root), text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static bool IsGzip(byte[] head) => head[0] == 0x1f && head[1] == 0x8b;

    private static bool IsTar(byte[] head, int n) => n >= 262 && Encoding.ASCII.GetString(head, 257, 5) == "ustar";

    private static bool IsOtherArchive(byte[] head)
        => (head[0] == (byte)'B' && head[1] == (byte)'Z' && head[2] == (byte)'h')
            || (head[0] == 0xfd && head[1] == (byte)'7' && head[2] == (byte)'z' && head[3] == (byte)'X' && head[4] == (byte)'Z')
            || (head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd);

    private async Task<ContextDir> CloneAsync(string remote, string tmp, string root, CancellationToken cancellationToken)
    {
        var (url, reference, subdir) = ParseGitUrl(remote);
        var checkout = Path.Combine(tmp, "git");
        Directory.CreateDirectory(checkout);
        await GitAsync(checkout, remote, cancellationToken, "init", "-q").ConfigureAwait(false);
        await GitAsync(checkout, remote, cancellationToken, "remote", "add", "origin", url).ConfigureAwait(false);
        await GitAsync(checkout, remote, cancellationToken, "fetch", "-q", "--depth", "1", "--no-tags", "origin", reference ?? "HEAD").ConfigureAwait(false);
        await GitAsync(checkout, remote, cancellationToken, "checkout", "-q", "FETCH_HEAD").ConfigureAwait(false);
        await GitAsync(checkout, remote, cancellationToken, "submodule", "update", "-q", "--init", "--recursive", "--depth", "1").ConfigureAwait(false);

        long size = 0;
        foreach (var file in new DirectoryInfo(checkout).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (!file.FullName.Contains("/.git/", StringComparison.Ordinal) && file.LinkTarget is null)
            {
                size += file.Length;
                if (size > MaxGitBytes)
                {
                    throw WharfException.Invalid($"unable to prepare context: {remote}: the repository is larger than the limit of {MaxGitBytes.ToString(CultureInfo.InvariantCulture)} bytes");
                }
            }
        }

        Directory.Delete(Path.Combine(checkout, ".git"), recursive: true);
        var source = checkout;
        if (subdir.Length > 0)
        {
            // Every element must be a real directory of the checkout: a symlink could lead out.
            source = checkout;
            foreach (var part in subdir.Split('/'))
            {
                source = Path.Combine(source, part);
                var info = new DirectoryInfo(source);
                if (!info.Exists || info.LinkTarget is not null)
                {
                    throw WharfException.Invalid($"unable to prepare context: subdirectory {subdir} of {remote} is not a directory of the repository");
                }
            }
        }

        Directory.Move(source, root);
        return ContextDir.Adopt(root);
    }

    private async Task GitAsync(string dir, string remote, CancellationToken cancellationToken, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // No prompts, no system or user config, and only transports that fetch: ext:: and the like run commands.
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        psi.Environment["GIT_ALLOW_PROTOCOL"] = "file:git:http:https:ssh";
        psi.Environment["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(GitTimeout);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw WharfException.Invalid("unable to prepare context: could not run git");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw WharfException.Invalid("unable to prepare context: git is not installed on the daemon's host", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                await Task.WhenAll(stderr, stdout).ConfigureAwait(false);
            }
            catch (OperationCanceledException e)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw WharfException.Invalid($"unable to prepare context: git {args[0]} of {remote} took longer than {GitTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds", e);
            }

            if (process.ExitCode != 0)
            {
                throw WharfException.Invalid($"unable to prepare context: error fetching {remote}: git {args[0]}: {(await stderr.ConfigureAwait(false)).Trim()}");
            }
        }
    }
}
