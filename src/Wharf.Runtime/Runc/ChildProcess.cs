using System.Diagnostics;
using System.Text;

namespace Wharf.Runtime.Runc;

internal sealed record ChildResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs a short-lived helper (runc, the shim's starter) with a deadline; never waits forever.</summary>
internal static class ChildProcess
{
    public static async Task<ChildResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = new Process { StartInfo = psi };
        process.Start();
        process.StandardInput.Close();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return new ChildResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Only the helper itself: the shim's starter forks a detached shim that must survive.
            try
            {
                process.Kill(entireProcessTree: false);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', psi.ArgumentList)} did not finish within {timeout.TotalSeconds:0.#} s");
        }
        finally
        {
            // Process.Dispose leaves streams read through StandardOutput/StandardError open (they
            // are the caller's): without this, their pipes stay open until a GC finalizes them.
            process.StandardOutput.Dispose();
            process.StandardError.Dispose();
        }
    }
}
