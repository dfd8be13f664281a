using Wharf.Core.Containers.Spec;
using System.Diagnostics;
using System.Text;
using Wharf.Runtime.Spec;
using Xunit.Abstractions;

namespace Wharf.Runtime.Tests;

/// <summary>
/// Runs a generated spec with the real runc: a busybox rootfs, a private bundle, state root
/// and cgroup, a new (empty) network namespace, and cleanup of all of them in finally.
/// </summary>
public sealed class RuncEndToEndTests(ITestOutputHelper output)
{
    private static readonly string[] Controllers = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "systemd", "unified", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "misc"];

    [RuncFact]
    public async Task RunsGeneratedSpecWithDockerDefaults()
    {
        var unique = Guid.NewGuid().ToString("N");
        var id = unique + unique; // 64 hex characters, like a Docker id
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "wharf-runc-e2e-" + unique)).FullName;
        var bundle = Directory.CreateDirectory(Path.Combine(work, "bundle")).FullName;
        var state = Directory.CreateDirectory(Path.Combine(work, "state")).FullName;
        var rootfs = Directory.CreateDirectory(Path.Combine(bundle, "rootfs")).FullName;
        var cgroupsPath = "/wharf-test-" + unique;
        try
        {
            BuildBusyboxRootfs(rootfs);
            var request = new ContainerSpecRequest
            {
                Id = id,
                RootfsPath = rootfs,
                Hostname = "wharf-e2e",
                Cmd = ["sh", "-c", "id -u; cat /proc/self/status | grep CapEff; hostname"],
                CgroupsPath = cgroupsPath,
                Resources = new ContainerResources { Memory = 64 << 20, PidsLimit = 64 },
            };
            var spec = new RuntimeSpecBuilder(new RootfsUserFiles(), HostFactsProbe.Detect()).Build(request);
            await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), RuntimeSpecBuilder.ToJson(spec));

            var (exit, stdout, stderr) = await RunAsync(RuncFactAttribute.Runc, ["--root", state, "run", "--bundle", bundle, id], TimeSpan.FromSeconds(60));
            output.WriteLine($"exit {exit}\nstdout:\n{stdout}\nstderr:\n{stderr}");

            Assert.Equal(0, exit);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(["0", "CapEff:\t00000000a80425fb", "wharf-e2e"], lines.Select(l => l.Replace("CapEff: ", "CapEff:\t", StringComparison.Ordinal)));
        }
        finally
        {
            var (delExit, _, delErr) = await RunAsync(RuncFactAttribute.Runc, ["--root", state, "delete", "-f", id], TimeSpan.FromSeconds(30));
            output.WriteLine($"runc delete -f: exit {delExit} {delErr.Trim()}");
            RemoveCgroups(cgroupsPath);
            Directory.Delete(work, recursive: true);
        }
        Assert.Empty(LeftoverCgroups(cgroupsPath));
        Assert.DoesNotContain(id, await File.ReadAllTextAsync("/proc/self/mountinfo"), StringComparison.Ordinal);
        Assert.DoesNotContain(unique, await File.ReadAllTextAsync("/proc/self/mountinfo"), StringComparison.Ordinal);
    }

    private static void BuildBusyboxRootfs(string rootfs)
    {
        foreach (var dir in new[] { "bin", "proc", "dev", "sys", "etc", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(rootfs, dir));
        }
        File.Copy(RuncFactAttribute.Busybox, Path.Combine(rootfs, "bin/busybox"));
        foreach (var applet in new[] { "sh", "id", "cat", "grep", "hostname" })
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }
        File.WriteAllText(Path.Combine(rootfs, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(rootfs, "etc/group"), "root:x:0:\n");
    }

    private static IEnumerable<string> LeftoverCgroups(string cgroupsPath) =>
        Controllers.Select(c => "/sys/fs/cgroup/" + c + cgroupsPath).Where(Directory.Exists);

    /// <summary>runc delete removes the cgroups; this only catches what a failed start left behind (rmdir, leaf first).</summary>
    private static void RemoveCgroups(string cgroupsPath)
    {
        foreach (var dir in LeftoverCgroups(cgroupsPath).ToList())
        {
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Still has tasks; the assertion after finally reports it.
            }
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // Kill only the process this test started.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
