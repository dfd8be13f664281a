using System.Diagnostics;

namespace Wharf.Integration.Tests;

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs a command to completion with a timeout, optionally feeding stdin from a file.</summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env = null, string? stdinFile = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdinFile is not null)
        {
            await using var f = File.OpenRead(stdinFile);
            await f.CopyToAsync(p.StandardInput.BaseStream);
        }

        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} timed out");
        }

        return new ProcessResult(p.ExitCode, await stdout, await stderr);
    }
}
