using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Wharf.Core.Containers;
using Wharf.Core.Containers.Spec;
using Wharf.Runtime.Runc;

namespace Wharf.Runtime.Tests.Driver;

/// <summary>
/// One test's world: a unique exec root under /tmp (containers/, runc/), a busybox rootfs
/// outside it, a unique cgroupsPath. Cleanup force-deletes through runc, kills a lingering shim,
/// removes cgroups and the dir; <see cref="CleanupAndAssertAsync"/> then checks nothing is left.
/// </summary>
internal sealed class DriverSandbox : IAsyncDisposable
{
    private static readonly string[] Applets = ["sh", "cat", "echo", "sleep", "true", "stty", "id", "sed"];

    private DriverSandbox(string unique)
    {
        Unique = unique;
        Id = unique + unique;
        Root = Path.Combine("/tmp", "wharf-drv-" + unique[..12]);
        Rootfs = Path.Combine(Root, "rootfs");
        LogPath = Path.Combine(Root, "logs", "ctr-json.log");
        CgroupsPath = "/wharf-drv-test-" + unique;
        Settings = new ShimRuntimeSettings
        {
            ContainersRoot = Path.Combine(Root, "containers"),
            RuncRoot = Path.Combine(Root, "runc"),
            ShimPath = "",
        };
    }

    public string Unique { get; }

    /// <summary>64 hex characters like a Docker id, so state paths are long (the attach.sock path exceeds sun_path).</summary>
    public string Id { get; }

    public string Root { get; }

    public string Rootfs { get; }

    public string LogPath { get; }

    public string CgroupsPath { get; }

    public ShimRuntimeSettings Settings { get; private set; }

    public static async Task<DriverSandbox> CreateAsync()
    {
        var sandbox = new DriverSandbox(Guid.NewGuid().ToString("N"));
        sandbox.Settings = sandbox.Settings with { ShimPath = await DriverShim.PathAsync() };
        foreach (var dir in new[] { "bin", "proc", "dev", "sys", "etc", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(sandbox.Rootfs, dir));
        }
        File.Copy(RuncFactAttribute.Busybox, Path.Combine(sandbox.Rootfs, "bin/busybox"));
        foreach (var applet in Applets)
        {
            File.CreateSymbolicLink(Path.Combine(sandbox.Rootfs, "bin", applet), "busybox");
        }
        await File.WriteAllTextAsync(Path.Combine(sandbox.Rootfs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        await File.WriteAllTextAsync(Path.Combine(sandbox.Rootfs, "etc/group"), "root:x:0:\n");
        return sandbox;
    }

    /// <summary>A new driver over this sandbox's directories (as after a daemon restart).</summary>
    public ShimRuntime NewRuntime() => new(Settings, NullLogger<ShimRuntime>.Instance);

    public ContainerSpecRequest Request(IReadOnlyList<string> cmd, bool tty = false, string? initPath = null) => new()
    {
        Id = Id,
        RootfsPath = Rootfs,
        Cmd = cmd,
        Tty = tty,
        InitPath = initPath,
        // Docker's "none" network: a private, empty network namespace.
        NetworkMode = NamespaceMode.Private,
        CgroupsPath = CgroupsPath,
    };

    public RuntimeIo Io(bool tty = false, bool stdin = false) => new(tty, stdin, LogPath, 10 << 20, 3);

    public string ContainerDir => Path.Combine(Settings.ContainersRoot, Id);

    public IEnumerable<string> LeftoverCgroups()
    {
        foreach (var controller in Directory.GetDirectories("/sys/fs/cgroup"))
        {
            var dir = controller + CgroupsPath;
            if (Directory.Exists(dir))
            {
                yield return dir;
            }
        }
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers") && Directory.Exists("/sys/fs/cgroup" + CgroupsPath))
        {
            yield return "/sys/fs/cgroup" + CgroupsPath;
        }
    }

    public async Task<string> RuncListAsync()
    {
        if (!Directory.Exists(Settings.RuncRoot))
        {
            return "";
        }
        var (_, stdout) = await RunAsync(Settings.RuncPath, ["--root", Settings.RuncRoot, "list", "-q"]);
        return stdout;
    }

    /// <summary>Cleans up (idempotent) and asserts no container dir, runc state, cgroup or mount remains.</summary>
    public async Task CleanupAndAssertAsync()
    {
        Assert.False(Directory.Exists(ContainerDir), "container dir left behind: " + ContainerDir);
        Assert.DoesNotContain(Id, await RuncListAsync(), StringComparison.Ordinal);
        await DisposeAsync();
        Assert.Empty(LeftoverCgroups());
        var mountinfo = await File.ReadAllTextAsync("/proc/self/mountinfo");
        Assert.DoesNotContain(Unique, mountinfo, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(Settings.RuncRoot))
        {
            await RunAsync(Settings.RuncPath, ["--root", Settings.RuncRoot, "delete", "-f", Id]);
        }
        var shimPidFile = Path.Combine(ContainerDir, "state", "shim.pid");
        if (File.Exists(shimPidFile) && int.TryParse(File.ReadAllText(shimPidFile).Trim(), out var shimPid)
            && File.Exists($"/proc/{shimPid}/comm") && File.ReadAllText($"/proc/{shimPid}/comm").Trim() == "wharf-shim")
        {
            try
            {
                using var p = Process.GetProcessById(shimPid);
                p.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
            }
        }
        foreach (var dir in LeftoverCgroups().ToList())
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Still has tasks; CleanupAndAssertAsync reports it.
            }
        }
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    internal static async Task<(int Exit, string Stdout)> RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(cts.Token);
        await stderr;
        return (p.ExitCode, await stdout);
    }
}
