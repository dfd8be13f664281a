using System.Diagnostics;
using Wharf.Core.Errors;

namespace Wharf.Networking;

/// <summary>Runs iproute2 and iptables binaries; their stderr becomes the error message.</summary>
internal static class HostCommand
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args, string? stdin, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new WharfException(ErrorKind.Internal, $"cannot run {file}");
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken).ConfigureAwait(false);
            p.StandardInput.Close();
        }

        try
        {
            var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
            await p.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (p.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        finally
        {
            // Process.Dispose leaves these open (they are the caller's); their pipes would wait for a GC.
            p.StandardOutput.Dispose();
            p.StandardError.Dispose();
        }
    }

    /// <summary>Runs and fails with the tool's message on a non-zero exit.</summary>
    public static async Task<string> CheckAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken, string? stdin = null)
    {
        var list = args.ToList();
        var (code, stdout, stderr) = await RunAsync(file, list, stdin, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new WharfException(ErrorKind.Internal, $"{Path.GetFileName(file)} {string.Join(' ', list)}{(stdin is null ? "" : " <" + stdin.Replace('\n', ';'))}: {stderr.Trim()}");
        }

        return stdout;
    }

    /// <summary>Several iproute2 commands in one process (<c>ip -batch -</c>), optionally inside a named network namespace.</summary>
    public static Task<string> IpBatchAsync(string? netns, IEnumerable<string> lines, CancellationToken cancellationToken)
    {
        string[] args = netns is null ? ["-batch", "-"] : ["-n", netns, "-batch", "-"];
        return CheckAsync("ip", args, cancellationToken, string.Join('\n', lines) + "\n");
    }
}
