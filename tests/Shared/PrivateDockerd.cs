using System.Diagnostics;
using Xunit;

namespace Wharf.TestSupport;

/// <summary>
/// Debian's dockerd on private paths (data root, exec root, socket, pidfile under one temp dir;
/// no bridge, no iptables), driven by the real docker CLI with its own DOCKER_CONFIG, so
/// neither the host's daemon nor the user's logins are touched. Stopped and cleaned on dispose.
/// Compiled into every test project that compares Wharf with dockerd (linked from tests/Shared).
/// </summary>
internal sealed class PrivateDockerd : IAsyncDisposable
{
    public const string Dockerd = "/usr/sbin/dockerd";
    public const string Docker = "/usr/local/bin/docker";
    private readonly Process _process;

    private PrivateDockerd(Process process, string dir)
    {
        _process = process;
        Dir = dir;
    }

    public string Dir { get; }

    public string Socket => Path.Combine(Dir, "docker.sock");

    public static bool Available => File.Exists(Dockerd) && File.Exists(Docker);

    public static async Task<PrivateDockerd> StartAsync()
    {
        Assert.True(Available, $"these tests need Debian's dockerd at {Dockerd} (package docker.io) and the docker CLI at {Docker}");
        var dir = Directory.CreateTempSubdirectory("wharf-test-dockerd-").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "config"));
        var psi = new ProcessStartInfo(Dockerd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "--data-root", Path.Combine(dir, "root"), "--exec-root", Path.Combine(dir, "exec"),
            "-H", "unix://" + Path.Combine(dir, "docker.sock"), "--pidfile", Path.Combine(dir, "docker.pid"),
            "--bridge=none", "--iptables=false", "--ip-masq=false", "--insecure-registry", "127.0.0.0/8",
        })
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        p.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var d = new PrivateDockerd(p, dir);
        for (var i = 0; i < 300; i++)
        {
            if (p.HasExited)
            {
                break;
            }
            if ((await d.RunAsync("version")).Code == 0)
            {
                return d;
            }
            await Task.Delay(100);
        }
        await d.DisposeAsync();
        throw new InvalidOperationException("private dockerd did not start: " + log);
    }

    public async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Docker)
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

        psi.Environment["DOCKER_HOST"] = "unix://" + Socket;
        psi.Environment["DOCKER_CONFIG"] = Path.Combine(Dir, "config");
        psi.Environment["DOCKER_BUILDKIT"] = "0";
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"docker {string.Join(' ', args)} timed out");
        }

        return (p.ExitCode, await stdout, await stderr);
    }

    public async Task<string> CheckAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);
        Assert.True(code == 0, $"docker {string.Join(' ', args)} exited {code}: {stderr}{stdout}");
        return stdout;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        _process.Dispose();
        // dockerd can leave mounts of its own roots behind; undo them before removing the tree.
        var mounts = File.ReadAllLines("/proc/mounts")
            .Select(l => l.Split(' ')[1])
            .Where(m => m.StartsWith(Dir, StringComparison.Ordinal))
            .OrderByDescending(m => m.Length);
        foreach (var m in mounts)
        {
            using var umount = Process.Start("umount", ["-l", m]);
            await umount.WaitForExitAsync();
        }
        Directory.Delete(Dir, recursive: true);
    }
}
