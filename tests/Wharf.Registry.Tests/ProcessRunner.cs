using System.Diagnostics;

namespace Wharf.Registry.Tests;

/// <summary>Runs a tool to completion with a deadline, capturing its output.</summary>
internal static class ProcessRunner
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish");
        }
        return (p.ExitCode, await stdout, await stderr);
    }

    public static async Task<string> CheckAsync(string file, params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(file, args);
        Assert.True(code == 0, $"{file} {string.Join(' ', args)} exited {code}: {stderr}{stdout}");
        return stdout;
    }
}
