using System.Diagnostics;
using System.Security.Cryptography;
using Wharf.Core.Errors;
using Wharf.Linux;

namespace Wharf.Networking.Tests;

/// <summary>
/// The driver's per-container steps (sandbox, endpoints) on real namespaces. The "host" side is
/// a scratch namespace of the test's own holding its bridge, so the machine's links are never
/// touched; sandboxes get a unique <c>wnlt</c> prefix. Everything is deleted also on failure.
/// </summary>
public sealed class BridgeDriverTests
{
    [Fact]
    public async Task ASandboxGetsEndpointsThatGoAgain()
    {
        using var lab = new Lab();
        var sandbox = lab.Do(() => lab.Driver.CreateSandboxAsync(lab.ContainerId, CancellationToken.None).GetAwaiter().GetResult());
        Assert.Equal("/run/netns/" + lab.Sandbox, sandbox);
        Assert.Contains("<LOOPBACK,UP,LOWER_UP>", Run("ip", "-n", lab.Sandbox, "-o", "link", "show", "lo"), StringComparison.Ordinal);

        // Again on an existing sandbox: no error, loopback stays up.
        lab.Do(() => lab.Driver.CreateSandboxAsync(lab.ContainerId, CancellationToken.None).GetAwaiter().GetResult());

        var eth0 = lab.Do(() => lab.Driver.AddEndpointAsync(lab.ContainerId, lab.Bridge, "eth0", "10.213.252.2/24", "02:42:0a:d5:fc:02", "10.213.252.1", defaultRoute: true, 1500, CancellationToken.None).GetAwaiter().GetResult());
        var eth1 = lab.Do(() => lab.Driver.AddEndpointAsync(lab.ContainerId, lab.Bridge, "eth1", "10.213.252.3/24", "02:42:0a:d5:fc:03", "10.213.252.1", defaultRoute: false, 1500, CancellationToken.None).GetAwaiter().GetResult());
        Assert.Matches("^veth[0-9a-f]{7}$", eth0);

        var addr = Run("ip", "-n", lab.Sandbox, "-o", "addr", "show", "dev", "eth0");
        Assert.Contains("inet 10.213.252.2/24 scope global eth0", addr, StringComparison.Ordinal);
        Assert.Contains("link/ether 02:42:0a:d5:fc:02", Run("ip", "-n", lab.Sandbox, "-o", "link", "show", "dev", "eth0"), StringComparison.Ordinal);
        Assert.Contains("inet 10.213.252.3/24 scope global eth1", Run("ip", "-n", lab.Sandbox, "-o", "addr", "show", "dev", "eth1"), StringComparison.Ordinal);
        Assert.Equal("default via 10.213.252.1 dev eth0 \n10.213.252.0/24 dev eth0 proto kernel scope link src 10.213.252.2 \n10.213.252.0/24 dev eth1 proto kernel scope link src 10.213.252.3 \n", Run("ip", "-n", lab.Sandbox, "route"));
        var hostEnd = Run("ip", "-n", lab.HostNs, "-o", "link", "show", "dev", eth0);
        Assert.Contains($"master {lab.Bridge} state UP", hostEnd, StringComparison.Ordinal);

        lab.Do(() => BridgeDriver.RemoveEndpointAsync(eth1, CancellationToken.None).GetAwaiter().GetResult());
        Assert.DoesNotContain(eth1, Run("ip", "-n", lab.HostNs, "-o", "link"), StringComparison.Ordinal);
        Assert.DoesNotContain("eth1", Run("ip", "-n", lab.Sandbox, "-o", "link"), StringComparison.Ordinal);
        lab.Do(() => BridgeDriver.RemoveEndpointAsync(eth1, CancellationToken.None).GetAwaiter().GetResult());

        await lab.Driver.DeleteSandboxAsync(lab.ContainerId, CancellationToken.None);
        Assert.False(File.Exists(sandbox));
        Assert.DoesNotContain(lab.Sandbox, Run("ip", "netns", "list"), StringComparison.Ordinal);

        // The namespace ends in the kernel's own time; its veth pair goes with it.
        var deadline = Stopwatch.StartNew();
        while (Run("ip", "-n", lab.HostNs, "-o", "link").Contains(eth0, StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.DoesNotContain(eth0, Run("ip", "-n", lab.HostNs, "-o", "link"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.213.252.2/33", "")]
    [InlineData("10.213.252.2/24", "missing-bridge")]
    public void AFailedEndpointLeavesNothingBehind(string address, string bridge)
    {
        using var lab = new Lab();
        lab.Do(() => lab.Driver.CreateSandboxAsync(lab.ContainerId, CancellationToken.None).GetAwaiter().GetResult());
        var hostBefore = Links(lab.HostNs);
        var sandboxBefore = Links(lab.Sandbox);

        // (The scratch namespace's thread hands a non-I/O exception back wrapped.)
        var wrapped = Assert.Throws<IOException>(() => lab.Do(() => lab.Driver.AddEndpointAsync(lab.ContainerId, bridge.Length > 0 ? bridge : lab.Bridge, "eth0", address, "02:42:0a:d5:fc:02", "10.213.252.1", defaultRoute: true, 1500, CancellationToken.None).GetAwaiter().GetResult()));
        var e = Assert.IsType<WharfException>(wrapped.InnerException);
        Assert.Equal(ErrorKind.Internal, e.Kind);
        Assert.Contains(bridge.Length > 0 ? "No such device" : "Invalid argument", e.Message, StringComparison.Ordinal);

        Assert.Equal(hostBefore, Links(lab.HostNs));
        Assert.Equal(sandboxBefore, Links(lab.Sandbox));
        Assert.Equal(2, hostBefore.Count);
    }

    /// <summary>The names of the links in a namespace (their flags change as ports come and go).</summary>
    private static List<string> Links(string netns)
        => [.. Run("ip", "-n", netns, "-o", "link").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[1].TrimEnd(':').Split('@')[0])];

    private static string Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {err.Result}");
        return output;
    }

    /// <summary>A scratch host namespace with a bridge, a driver with a unique prefix, and a container id.</summary>
    private sealed class Lab : IDisposable
    {
        public Lab()
        {
            var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            HostNs = "wnlth" + tag;
            Bridge = "wnltb" + tag;
            Driver = new BridgeDriver("wnlt" + tag);
            ContainerId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            Sandbox = Driver.SandboxName(ContainerId);
            Run("ip", "netns", "add", HostNs);
            Run("ip", "-n", HostNs, "link", "add", "name", Bridge, "type", "bridge");
            Run("ip", "-n", HostNs, "link", "set", Bridge, "up");
        }

        public string HostNs { get; }

        public string Bridge { get; }

        public BridgeDriver Driver { get; }

        public string ContainerId { get; }

        public string Sandbox { get; }

        /// <summary>Runs driver code with the scratch namespace as its "host" (the driver's host sockets are made on the calling thread).</summary>
        public T Do<T>(Func<T> action) => NetworkNamespace.Run("/run/netns/" + HostNs, action);

        public void Do(Action action) => Do(() =>
        {
            action();
            return 0;
        });

        public void Dispose()
        {
            foreach (var ns in new[] { Sandbox, HostNs })
            {
                if (File.Exists("/run/netns/" + ns))
                {
                    using var p = Process.Start(new ProcessStartInfo("ip", ["netns", "delete", ns]) { UseShellExecute = false })!;
                    p.WaitForExit();
                }
            }
        }
    }
}
