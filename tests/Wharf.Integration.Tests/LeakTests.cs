using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Wharf.Integration.Tests;

/// <summary>
/// 500 create/start/remove cycles through the API (half run to completion and are removed,
/// half are removed running with force) must leave the daemon and the host as they were:
/// no mount, cgroup, monitor or runtime process, daemon file descriptor or file left behind.
/// </summary>
public sealed class LeakTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Cycles = 500;
    private const int Workers = 4;

    private WharfDaemon _d = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("leaks"), "busybox", "latest", "CMD [\"sh\"]");
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    [Fact]
    public async Task FiveHundredCyclesLeaveNothingBehind()
    {
        // One warm-up cycle so lazily created things (runtime dirs, cgroup parent, pools) exist before counting.
        await CycleAsync(0);
        await CycleAsync(1);
        var before = await SettleAndCountAsync();
        output.WriteLine("before: " + before);

        var sw = System.Diagnostics.Stopwatch.StartNew();
        var next = 1;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= Cycles + 1)
            {
                await CycleAsync(i);
            }
        })));
        output.WriteLine($"{Cycles} cycles in {sw.Elapsed.TotalSeconds:0.0} s");

        var after = await SettleAndCountAsync();
        // Pipes of finished child processes are closed a little later (after their readers
        // drain); on a machine loaded by the rest of the suite that can take tens of seconds,
        // so give the count up to a minute to settle before judging it.
        var waited = 0;
        for (; waited < 600 && after.DaemonFds > before.DaemonFds + FdSlack; waited++)
        {
            await Task.Delay(100);
            after = Count();
        }
        output.WriteLine($"after:  {after} (settled for {waited / 10.0:0.0} s more)");
        Assert.Equal(before.Mounts, after.Mounts);
        Assert.Equal(before.Cgroups, after.Cgroups);
        Assert.Equal(before.Processes, after.Processes);
        Assert.Equal(before.Files, after.Files);
        // A few more once warm are fine (a keep-alive connection per worker, more thread-pool
        // threads' wakeup pipes on a loaded machine); a leak per cycle would be hundreds.
        if (after.DaemonFds > before.DaemonFds + FdSlack)
        {
            output.WriteLine("daemon descriptors: " + string.Join(", ", Directory.GetFileSystemEntries($"/proc/{_d.Pid}/fd").Select(fd => new FileInfo(fd).LinkTarget)));
        }

        Assert.InRange(after.DaemonFds, 0, before.DaemonFds + FdSlack);
        Assert.Equal("[]", (await _d.GetJsonAsync("/containers/json?all=1")).ToJsonString());
    }

    /// <summary>Descriptors the daemon may hold beyond its count before the cycles.</summary>
    private const int FdSlack = Workers + 32;

    private async Task CycleAsync(int i)
    {
        var running = i % 2 == 1;
        var body = running
            ? """{"Image":"busybox","Cmd":["sleep","60"],"HostConfig":{"NetworkMode":"none"}}"""
            : """{"Image":"busybox","Cmd":["sh","-c","echo cycle"],"HostConfig":{"NetworkMode":"none"}}""";
        var (status, created) = await _d.SendAsync(HttpMethod.Post, "/containers/create", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(status == 201, $"create: {status} {created}");
        var id = JsonNode.Parse(created)!["Id"]!.GetValue<string>();
        var start = await _d.SendAsync(HttpMethod.Post, $"/containers/{id}/start");
        Assert.True(start.Status == 204, $"start: {start.Status} {start.Body}");
        if (!running)
        {
            var wait = await _d.SendAsync(HttpMethod.Post, $"/containers/{id}/wait");
            Assert.True(wait.Status == 200, $"wait: {wait.Status} {wait.Body}");
        }

        var rm = await _d.SendAsync(HttpMethod.Delete, $"/containers/{id}?force=1");
        Assert.True(rm.Status == 204, $"rm: {rm.Status} {rm.Body}");
    }

    private async Task<Counts> SettleAndCountAsync()
    {
        // Monitors that recorded an exit leave within about a second.
        Counts counts = Count();
        for (var i = 0; i < 50 && counts.Processes > 0; i++)
        {
            await Task.Delay(100);
            counts = Count();
        }

        return counts;
    }

    private Counts Count()
    {
        var mounts = File.ReadAllLines("/proc/self/mountinfo").Count(l => l.Contains(_d.Dir, StringComparison.Ordinal));
        var cgroups = Directory.GetDirectories("/sys/fs/cgroup")
            .Select(c => Path.Combine(c, _d.CgroupParent))
            .Where(Directory.Exists)
            .Sum(p => Directory.GetDirectories(p).Length);
        var processes = Directory.GetDirectories("/proc")
            .Where(p => int.TryParse(Path.GetFileName(p), out _))
            .Count(p =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(p, "cmdline")).Contains(_d.Dir, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
            }) - 1; // wharfd itself
        var files = Directory.GetFileSystemEntries(_d.Dir, "*", SearchOption.AllDirectories).Length;
        // Loaded assemblies and native libraries hold descriptors too; the first use of a code
        // path loads one. Everything else (sockets, pipes, files) is what a leak would show.
        var fds = Directory.GetFileSystemEntries($"/proc/{_d.Pid}/fd").Count(fd =>
        {
            var target = new FileInfo(fd).LinkTarget ?? "";
            return !target.Contains(".dll", StringComparison.Ordinal) && !target.Contains(".so", StringComparison.Ordinal);
        });
        return new Counts(mounts, cgroups, processes, files, fds);
    }

    private sealed record Counts(int Mounts, int Cgroups, int Processes, int Files, int DaemonFds);
}
