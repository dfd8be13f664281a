using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Xunit.Abstractions;

namespace Wharf.Runtime.Tests.Driver;

/// <summary>The driver end to end: real runc, the real wharf-shim, a busybox rootfs.</summary>
[Collection(DriverCollection.Name)]
public sealed class ShimRuntimeTests(ITestOutputHelper output)
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private const string TiniStatic = "/usr/bin/tini-static";

    private static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [RuncFact]
    public async Task CreateAttachStartWaitLogsAndDelete()
    {
        await using var box = await DriverSandbox.CreateAsync();
        var runtime = box.NewRuntime();
        var ct = Timeout();

        var pid = await runtime.CreateAsync(box.Request(["sh", "-c", "echo out; echo err >&2; exit 3"]), box.Io(), ct);
        Assert.True(pid > 0);
        Assert.Equal([box.Id], runtime.List());
        var created = runtime.GetStatus(box.Id);
        Assert.Equal(new RuntimeStatus(pid, Running: false, Paused: false, Exit: null), created);
        Assert.True(DriverSandbox.IsAlive(pid), "runc's created init waits alive for start");

        var resize = await Assert.ThrowsAsync<WharfException>(() => runtime.ResizeAsync(box.Id, 30, 100, ct));
        Assert.Equal(ErrorKind.InvalidArgument, resize.Kind);
        Assert.Contains("no tty", resize.Message, StringComparison.Ordinal);

        await using var attach = await runtime.AttachAsync(box.Id, new AttachStreams(false, true, true, false), ct);
        await runtime.StartAsync(box.Id, ct);
        var frames = await StreamReading.ReadFramesToEndAsync(attach, ct);
        Assert.Equal("out\n", frames[1]);
        Assert.Equal("err\n", frames[2]);

        var exit = await runtime.WaitAsync(box.Id, ct);
        Assert.Equal(3, exit.ExitCode);
        Assert.False(exit.OomKilled);
        Assert.InRange(exit.ExitedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        var status = runtime.GetStatus(box.Id);
        Assert.NotNull(status);
        Assert.False(status.Running);
        Assert.Equal(exit, status.Exit);

        var log = (await File.ReadAllLinesAsync(box.LogPath)).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            return (doc.RootElement.GetProperty("stream").GetString(), doc.RootElement.GetProperty("log").GetString());
        }).ToList();
        Assert.Contains(("stdout", "out\n"), log);
        Assert.Contains(("stderr", "err\n"), log);

        // Killing an exited container is what rm -f does: fine for SIGKILL, a conflict for others.
        await runtime.KillAsync(box.Id, SigKill, all: false, ct);
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<WharfException>(() => runtime.KillAsync(box.Id, SigTerm, false, ct))).Kind);
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<WharfException>(() => runtime.AttachAsync(box.Id, new AttachStreams(false, true, true, false), ct))).Kind);

        var shimPid = int.Parse(await File.ReadAllTextAsync(Path.Combine(box.ContainerDir, "state", "shim.pid")), System.Globalization.CultureInfo.InvariantCulture);
        await runtime.DeleteAsync(box.Id, ct);
        // A shim that recorded the exit leaves by itself once its clients are served.
        for (var i = 0; i < 100 && DriverSandbox.IsAlive(shimPid); i++)
        {
            await Task.Delay(20, ct);
        }
        Assert.False(DriverSandbox.IsAlive(shimPid));
        Assert.Null(runtime.GetStatus(box.Id));
        Assert.Empty(runtime.List());
        await runtime.DeleteAsync(box.Id, ct);
        await box.CleanupAndAssertAsync();
    }

    [RuncFact]
    public async Task SigtermEndsLongRunningContainerWith143AndPauseShows()
    {
        await using var box = await DriverSandbox.CreateAsync();
        var runtime = box.NewRuntime();
        var ct = Timeout();
        // PID 1 of a pid namespace ignores SIGTERM without a handler; Docker's --init (tini) forwards it.
        var request = File.Exists(TiniStatic)
            ? box.Request(["sleep", "300"], initPath: TiniStatic)
            : box.Request(["sh", "-c", "trap 'exit 143' TERM; while :; do sleep 1; done"]);

        var pid = await runtime.CreateAsync(request, box.Io(), ct);
        await runtime.StartAsync(box.Id, ct);
        Assert.Equal(new RuntimeStatus(pid, true, false, null), runtime.GetStatus(box.Id));

        await runtime.PauseAsync(box.Id, ct);
        Assert.Equal(new RuntimeStatus(pid, true, true, null), runtime.GetStatus(box.Id));
        await runtime.ResumeAsync(box.Id, ct);
        Assert.Equal(new RuntimeStatus(pid, true, false, null), runtime.GetStatus(box.Id));

        var wait = runtime.WaitAsync(box.Id, ct);
        await Task.Delay(100, ct);
        Assert.False(wait.IsCompleted);
        var sw = Stopwatch.StartNew();
        await runtime.KillAsync(box.Id, SigTerm, all: false, ct);
        var exit = await wait;
        output.WriteLine($"kill -> wait: {sw.ElapsedMilliseconds} ms");
        Assert.Equal(143, exit.ExitCode);
        Assert.False(runtime.GetStatus(box.Id)!.Running);

        await runtime.DeleteAsync(box.Id, ct);
        await box.CleanupAndAssertAsync();
    }

    [RuncFact]
    public async Task PausedContainerCanBeKilledAndDeleted()
    {
        await using var box = await DriverSandbox.CreateAsync();
        var runtime = box.NewRuntime();
        var ct = Timeout();
        var pid = await runtime.CreateAsync(box.Request(["sleep", "300"]), box.Io(), ct);
        await runtime.StartAsync(box.Id, ct);
        await runtime.PauseAsync(box.Id, ct);
        Assert.True(runtime.GetStatus(box.Id)!.Paused);

        // docker kill / stop of a paused container: SIGKILL must end it, not wait for a resume.
        await runtime.KillAsync(box.Id, SigKill, all: false, ct);
        Assert.Equal(137, (await runtime.WaitAsync(box.Id, Timeout(10))).ExitCode);
        Assert.False(DriverSandbox.IsAlive(pid));

        await runtime.DeleteAsync(box.Id, ct);
        await box.CleanupAndAssertAsync();
    }

    [RuncFact]
    public async Task DeleteOfPausedContainerEndsIt()
    {
        await using var box = await DriverSandbox.CreateAsync();
        var runtime = box.NewRuntime();
        var ct = Timeout();
        var pid = await runtime.CreateAsync(box.Request(["sleep", "300"]), box.Io(), ct);
        await runtime.StartAsync(box.Id, ct);
        await runtime.PauseAsync(box.Id, ct);

        await runtime.DeleteAsync(box.Id, ct);
        Assert.False(DriverSandbox.IsAlive(pid));
        Assert.Null(runtime.GetStatus(box.Id));
        await box.CleanupAndAssertAsync();
    }

    [RuncFact]
    public async Task TtyWithStdinEchoesAndResizes()
    {
        await using var box = await DriverSandbox.CreateAsync();
        var runtime = box.NewRuntime();
        var ct = Timeout();

        await runtime.CreateAsync(box.Request(["sh", "-c", "stty size; cat; stty size; exit 7"], tty: true), box.Io(tty: true, stdin: true), ct);
        await runtime.ResizeAsync(box.Id, 30, 100, ct);
        await using var attach = await runtime.AttachAsync(box.Id, new AttachStreams(true, true, true, true), ct);
        await runtime.StartAsync(box.Id, ct);
        var reader = new RawReader(attach);
        await reader.ReadUntilAsync("30 100", ct);

        await attach.WriteAsync(Encoding.UTF8.GetBytes("ping\n"), ct);
        await reader.ReadUntilAsync("ping", ct);
        await runtime.ResizeAsync(box.Id, 40, 120, ct);
        // stdin-once: half-closing makes the shim send ^D, which ends cat.
        ((NetworkStream)attach).Socket.Shutdown(SocketShutdown.Send);
        await reader.ReadUntilAsync("40 120", ct);
        await reader.ReadToEndAsync(ct);
        output.WriteLine(reader.Seen);

        Assert.Equal(7, (await runtime.WaitAsync(box.Id, ct)).ExitCode);
        Assert.Equal(ErrorKind.Conflict, (await Assert.ThrowsAsync<WharfException>(() => runtime.ResizeAsync(box.Id, 10, 10, ct))).Kind);
        await runtime.DeleteAsync(box.Id, ct);
        await box.CleanupAndAssertAsync();
    }

    [RuncFact]
    public async Task MissingCommandFailsWithRuncsMessageAndLeavesNothing()
    {
        await using var box = await DriverSandbox.CreateAsync();
        var runtime = box.NewRuntime();
        var ct = Timeout();

        WharfException error;
        try
        {
            await runtime.CreateAsync(box.Request(["no-such-command"]), box.Io(), ct);
            // runc may defer the lookup to start; then start must fail the same way.
            error = await Assert.ThrowsAsync<WharfException>(() => runtime.StartAsync(box.Id, ct));
            await runtime.DeleteAsync(box.Id, ct);
        }
        catch (WharfException e)
        {
            error = e;
        }
        output.WriteLine(error.Message);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith("OCI runtime ", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-command", error.Message, StringComparison.Ordinal);
        Assert.Contains("executable file not found", error.Message, StringComparison.Ordinal);
        Assert.Null(runtime.GetStatus(box.Id));
        Assert.Empty(runtime.List());
        Assert.Empty(Directory.GetFileSystemEntries(box.Settings.ContainersRoot));
        await box.CleanupAndAssertAsync();
    }

    [RuncFact]
    public async Task ContainerSurvivesANewDriverInstance()
    {
        await using var box = await DriverSandbox.CreateAsync();
        var ct = Timeout();
        var first = box.NewRuntime();
        var pid = await first.CreateAsync(box.Request(["sh", "-c", "echo started; exec sleep 300"]), box.Io(), ct);
        await first.StartAsync(box.Id, ct);
        // Output before the attach below must not reach it: wait until it is in the log.
        while (!File.Exists(box.LogPath) || !(await File.ReadAllTextAsync(box.LogPath, ct)).Contains("started", StringComparison.Ordinal))
        {
            await Task.Delay(20, ct);
        }

        // As after a daemon restart: nothing carried over but the directories.
        var second = box.NewRuntime();
        Assert.Equal([box.Id], second.List());
        Assert.Equal(new RuntimeStatus(pid, true, false, null), second.GetStatus(box.Id));
        await using var attach = await second.AttachAsync(box.Id, new AttachStreams(false, true, true, false), ct);
        var wait = second.WaitAsync(box.Id, ct);
        await Task.Delay(100, ct);
        Assert.False(wait.IsCompleted);

        await second.KillAsync(box.Id, SigKill, all: true, ct);
        Assert.Equal(137, (await wait).ExitCode);
        Assert.Empty(await StreamReading.ReadFramesToEndAsync(attach, ct));
        Assert.Equal(137, first.GetStatus(box.Id)!.Exit!.ExitCode);

        await second.DeleteAsync(box.Id, ct);
        Assert.Null(first.GetStatus(box.Id));
        await box.CleanupAndAssertAsync();
    }

    [RuncFact]
    public async Task UnknownAndInvalidIds()
    {
        await using var box = await DriverSandbox.CreateAsync();
        var runtime = box.NewRuntime();
        var ct = Timeout();

        Assert.Null(runtime.GetStatus(box.Id));
        Assert.Empty(runtime.List());
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<WharfException>(() => runtime.WaitAsync(box.Id, ct))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<WharfException>(() => runtime.StartAsync(box.Id, ct))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<WharfException>(() => runtime.KillAsync(box.Id, SigKill, false, ct))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<WharfException>(() => runtime.AttachAsync(box.Id, new AttachStreams(false, true, false, false), ct))).Kind);
        await runtime.DeleteAsync(box.Id, ct);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<WharfException>(() => runtime.GetStatus("../etc")).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, (await Assert.ThrowsAsync<WharfException>(() => runtime.CreateAsync(box.Request(["true"]) with { Id = "-x" }, box.Io(), ct))).Kind);
        await box.CleanupAndAssertAsync();
    }

    [RuncFact]
    public async Task WaitHonoursCancellation()
    {
        await using var box = await DriverSandbox.CreateAsync();
        var runtime = box.NewRuntime();
        var ct = Timeout();
        await runtime.CreateAsync(box.Request(["sleep", "300"]), box.Io(), ct);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runtime.WaitAsync(box.Id, cts.Token));
        // Never started: delete kills runc's waiting init.
        await runtime.DeleteAsync(box.Id, ct);
        await box.CleanupAndAssertAsync();
    }

    /// <summary>
    /// Start opens runc's exec fifo instead of running <c>runc start</c>, and deleting a container
    /// whose init ended removes runc's state and cgroups without <c>runc delete</c>: runc runs
    /// once per container (create). runc itself must agree: running after start, gone after delete.
    /// </summary>
    [RuncFact]
    public async Task RuncRunsOnlyForCreateAndAgreesWithTheFastPaths()
    {
        await using var box = await DriverSandbox.CreateAsync();
        var calls = Path.Combine(box.Root, "runc-calls");
        var wrapper = Path.Combine(box.Root, "runc-wrapper");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\necho \"$*\" >> {calls}\nexec {box.Settings.RuncPath} \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var runtime = new Runc.ShimRuntime(box.Settings with { RuncPath = wrapper }, Microsoft.Extensions.Logging.Abstractions.NullLogger<Runc.ShimRuntime>.Instance);
        var ct = Timeout();

        await runtime.CreateAsync(box.Request(["sh", "-c", "read line; echo got $line; exit 6"]), box.Io(stdin: true), ct);
        var fifo = Path.Combine(box.Settings.RuncRoot, box.Id, "exec.fifo");
        Assert.True(File.Exists(fifo), "runc's created container waits on its exec fifo");
        await using (var attach = await runtime.AttachAsync(box.Id, new AttachStreams(true, true, false, true), ct))
        {
            await runtime.StartAsync(box.Id, ct);
            Assert.False(File.Exists(fifo));
            var (_, state) = await DriverSandbox.RunAsync(box.Settings.RuncPath, ["--root", box.Settings.RuncRoot, "state", box.Id]);
            Assert.Equal("running", JsonDocument.Parse(state).RootElement.GetProperty("status").GetString());
            Assert.True(runtime.GetStatus(box.Id)!.Running);

            await attach.WriteAsync("hello\n"u8.ToArray(), ct);
            var frames = await StreamReading.ReadFramesToEndAsync(attach, ct);
            Assert.Equal("got hello\n", frames[1]);
        }

        Assert.Equal(6, (await runtime.WaitAsync(box.Id, ct)).ExitCode);
        await runtime.DeleteAsync(box.Id, ct);
        Assert.False(Directory.Exists(Path.Combine(box.Settings.RuncRoot, box.Id)));
        Assert.Empty(box.LeftoverCgroups());
        var invoked = (await File.ReadAllLinesAsync(calls, ct)).Select(l => l.Split(' ').FirstOrDefault(a => a is "create" or "start" or "delete" or "state")).ToList();
        Assert.Equal(["create"], invoked);
        await box.CleanupAndAssertAsync();
    }

    [RuncFact]
    public async Task CreateStartWaitOfTrueIsQuick()
    {
        await using var box = await DriverSandbox.CreateAsync();
        var runtime = box.NewRuntime();
        var ct = Timeout(120);
        var times = new List<double>();
        for (var i = 0; i < 11; i++)
        {
            var sw = Stopwatch.StartNew();
            await runtime.CreateAsync(box.Request(["true"]), box.Io(), ct);
            var created = sw.Elapsed.TotalMilliseconds;
            await runtime.StartAsync(box.Id, ct);
            var started = sw.Elapsed.TotalMilliseconds;
            var exit = await runtime.WaitAsync(box.Id, ct);
            sw.Stop();
            output.WriteLine($"create {created:0} ms, start {started - created:0} ms, wait {sw.Elapsed.TotalMilliseconds - started:0} ms");
            Assert.Equal(0, exit.ExitCode);
            await runtime.DeleteAsync(box.Id, ct);
            if (i > 0)
            {
                // The first run pays for JIT and the host probe.
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
        }
        times.Sort();
        output.WriteLine($"create+start+wait of true: median {times[times.Count / 2]:0.0} ms, min {times[0]:0.0}, max {times[^1]:0.0} (n={times.Count})");
        Assert.InRange(times[times.Count / 2], 0, 2000);
        await box.CleanupAndAssertAsync();
    }
}
