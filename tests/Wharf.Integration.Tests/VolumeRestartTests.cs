using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>Volumes across daemon restarts and crashes: references, device mounts, leftovers.</summary>
public sealed class VolumeRestartTests : IAsyncLifetime
{
    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("volume-restart"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private static bool Mounted(string path) => File.ReadAllLines("/proc/self/mounts").Any(l => l.Split(' ')[1] == path);

    private async Task<ProcessResult> DockerOk(params string[] args)
    {
        var r = await _d.DockerAsync(args);
        Assert.True(r.ExitCode == 0, $"docker {string.Join(' ', args)}: {r.ExitCode}\n{r.Stdout}\n{r.Stderr}");
        return r;
    }

    [Fact]
    public async Task ReferencesAndMountsSurviveADaemonKill()
    {
        await DockerOk("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=1m", "live");
        await DockerOk("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "stopped");
        await DockerOk("volume", "create", "idle");
        await DockerOk("run", "-d", "--name", "runner", "-v", "live:/live", "busybox", "sh", "-c", "echo alive > /live/f; sleep 300");
        await DockerOk("create", "--name", "holder", "-v", "idle:/idle", "-v", "stopped:/s", "busybox", "true");
        var live = JsonNode.Parse((await DockerOk("volume", "inspect", "live")).Stdout)![0]!["Mountpoint"]!.GetValue<string>();
        var stopped = JsonNode.Parse((await DockerOk("volume", "inspect", "stopped")).Stdout)![0]!["Mountpoint"]!.GetValue<string>();
        for (var i = 0; i < 100 && !File.Exists(Path.Combine(live, "f")); i++)
        {
            await Task.Delay(100);
        }

        // A killed daemon: one volume left half-created, one device left mounted with nobody using it.
        await _d.KillAsync();
        var volumes = Path.Combine(_d.DataRoot, "volumes");
        Directory.CreateDirectory(Path.Combine(volumes, ".tmp-killed", "_data"));
        await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "tmpfs", stopped]);
        await _d.StartProcessAsync();

        var names = (await DockerOk("volume", "ls", "-q")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["idle", "live", "stopped"], names.Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(volumes, ".tmp-killed")));
        Assert.True(Mounted(live));
        Assert.Equal("alive", (await File.ReadAllTextAsync(Path.Combine(live, "f"))).Trim());
        Assert.False(Mounted(stopped));
        foreach (var used in new[] { "live", "idle", "stopped" })
        {
            Assert.Equal(409, (await _d.SendAsync(HttpMethod.Delete, "/volumes/" + used)).Status);
        }

        await DockerOk("stop", "-t", "1", "runner");
        Assert.False(Mounted(live));
        await DockerOk("rm", "runner", "holder");
        await DockerOk("volume", "rm", "live", "stopped", "idle");
        Assert.Empty(Directory.EnumerateFileSystemEntries(volumes));
    }
}
