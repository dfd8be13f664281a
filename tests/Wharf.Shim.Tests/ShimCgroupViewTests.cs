namespace Wharf.Shim.Tests;

/// <summary>
/// <c>wharf-shim --cgroup-v1-view-exec</c>: the program runs in a mount namespace of its own in
/// which the hybrid layout's cgroup2 mount is gone, while the host keeps it; status and stdio are
/// the program's.
/// </summary>
public sealed class ShimCgroupViewTests
{
    private const string Unified = "/sys/fs/cgroup/unified";

    private static int MountsAt(string text, string mountPoint) =>
        text.Split('\n').Count(l => l.Split(' ') is { Length: > 4 } f && f[4] == mountPoint);

    [Fact]
    public async Task ProgramSeesNoCgroup2MountWhileTheHostKeepsIt()
    {
        var shim = await ShimBinary.PathAsync();
        var hostBefore = MountsAt(await File.ReadAllTextAsync("/proc/self/mountinfo"), Unified);
        var r = await ProcessRunner.RunAsync(shim, ["--cgroup-v1-view-exec", "/bin/cat", "/proc/self/mountinfo"], TimeSpan.FromSeconds(20));
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(0, MountsAt(r.StdOut, Unified));
        // The v1 hierarchies stay visible: that is what the runtime manages.
        Assert.Equal(MountsAt(await File.ReadAllTextAsync("/proc/self/mountinfo"), "/sys/fs/cgroup/memory"), MountsAt(r.StdOut, "/sys/fs/cgroup/memory"));
        Assert.Equal(hostBefore, MountsAt(await File.ReadAllTextAsync("/proc/self/mountinfo"), Unified));
        Assert.NotEqual(File.ResolveLinkTarget("/proc/self/ns/mnt", false)?.Name, (await ProcessRunner.RunAsync(shim, ["--cgroup-v1-view-exec", "/bin/readlink", "/proc/self/ns/mnt"], TimeSpan.FromSeconds(20))).StdOut.Trim());
    }

    [Fact]
    public async Task ExitStatusAndStreamsAreTheProgramsAndAMissingProgramIs127()
    {
        var shim = await ShimBinary.PathAsync();
        var r = await ProcessRunner.RunAsync(shim, ["--cgroup-v1-view-exec", "/bin/sh", "-c", "echo out; echo err >&2; exit 7"], TimeSpan.FromSeconds(20));
        Assert.Equal(7, r.ExitCode);
        Assert.Equal("out", r.StdOut.Trim());
        Assert.Equal("err", r.StdErr.Trim());

        var missing = await ProcessRunner.RunAsync(shim, ["--cgroup-v1-view-exec", "/nonexistent/crun", "--version"], TimeSpan.FromSeconds(20));
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("exec /nonexistent/crun", missing.StdErr, StringComparison.Ordinal);

        var none = await ProcessRunner.RunAsync(shim, ["--cgroup-v1-view-exec"], TimeSpan.FromSeconds(20));
        Assert.NotEqual(0, none.ExitCode);
    }
}
