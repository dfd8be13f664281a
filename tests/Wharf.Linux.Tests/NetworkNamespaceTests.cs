namespace Wharf.Linux.Tests;

/// <summary>
/// Named network namespaces made without iproute2 must be what <c>ip netns add</c> makes: a
/// file under /run/netns bind-mounted from a fresh namespace, seen by <c>ip netns</c> and
/// nsenter. Every namespace has a unique <c>wnlt</c> name and is removed also on failure.
/// </summary>
public sealed class NetworkNamespaceTests
{
    [Fact]
    public void CreateMakesWhatIpNetnsAddMakesAndDeleteUndoesIt()
    {
        var ours = Host.UniqueName();
        var theirs = Host.UniqueName();
        var path = "/run/netns/" + ours;
        try
        {
            var seenInside = "";
            NetworkNamespace.Create(path, () => seenInside = Posix.ReadLink("/proc/thread-self/ns/net"));
            Host.Run("ip", "netns", "add", theirs);

            Assert.Contains(ours, Host.Run("ip", "netns", "list"), StringComparison.Ordinal);
            var inode = Host.Run("stat", "-L", "-c", "%i", path).Trim();
            Assert.Equal($"net:[{inode}]", seenInside);
            Assert.NotEqual(Posix.ReadLink("/proc/thread-self/ns/net"), seenInside);
            Assert.Equal(seenInside, Host.Run("nsenter", "--net=" + path, "readlink", "/proc/self/ns/net").Trim());

            // Same links in the same state (loopback, down) as a namespace iproute2 made.
            Assert.Equal(Host.Normalize(Host.Run("ip", "-n", theirs, "-o", "link")), Host.Normalize(Host.Run("ip", "-n", ours, "-o", "link")));

            // The mount is an nsfs one and /run/netns propagates mounts (shared), as iproute2 leaves it.
            var mounts = File.ReadAllLines("/proc/self/mountinfo");
            Assert.Contains(mounts, l => l.Split(' ')[4] == path && l.Contains(" - nsfs ", StringComparison.Ordinal));
            Assert.Contains(mounts, l => l.Split(' ')[4] == "/run/netns" && l.Contains("shared:", StringComparison.Ordinal));

            NetworkNamespace.Delete(path);
            Assert.False(File.Exists(path));
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Split(' ')[4] == path);
            Assert.DoesNotContain(ours, Host.Run("ip", "netns", "list"), StringComparison.Ordinal);

            // Deleting what is gone is no error.
            NetworkNamespace.Delete(path);
        }
        finally
        {
            Host.RemoveNetns(ours);
            Host.RemoveNetns(theirs);
        }
    }

    [Fact]
    public void CreateOverAnExistingNamespaceFailsAndLeavesItAlone()
    {
        var name = Host.UniqueName();
        var path = "/run/netns/" + name;
        try
        {
            Host.Run("ip", "netns", "add", name);
            var e = Assert.Throws<ErrnoException>(() => NetworkNamespace.Create(path));
            Assert.Equal(Errno.EEXIST, e.Errno);
            Assert.Equal(0, Host.TryRun("ip", "-n", name, "link", "show", "lo").Code);
        }
        finally
        {
            Host.RemoveNetns(name);
        }
    }

    [Fact]
    public void AFailureInsideLeavesNoFileAndNoMount()
    {
        var name = Host.UniqueName();
        var path = "/run/netns/" + name;
        try
        {
            Assert.Throws<IOException>(() => NetworkNamespace.Create(path, () => throw new IOException("planned failure")));
            Assert.False(File.Exists(path));
            Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Split(' ')[4] == path);
        }
        finally
        {
            Host.RemoveNetns(name);
        }
    }
    [Fact]
    public void ADirectoryThatIsNoMountPointIsBoundOntoItselfAndShared()
    {
        var directory = Path.Combine(Path.GetTempPath(), Host.UniqueName());
        var path = Path.Combine(directory, "ns");
        try
        {
            NetworkNamespace.Create(path);
            var mounts = File.ReadAllLines("/proc/self/mountinfo");
            Assert.Contains(mounts, l => l.Split(' ')[4] == directory && l.Contains("shared:", StringComparison.Ordinal));
            Assert.Contains(mounts, l => l.Split(' ')[4] == path && l.Contains(" - nsfs ", StringComparison.Ordinal));
            Assert.Equal(0, Host.TryRun("nsenter", "--net=" + path, "true").Code);

            // A second namespace in it finds the directory shared already (no second bind).
            NetworkNamespace.Create(path + "2");
            Assert.Single(File.ReadAllLines("/proc/self/mountinfo"), l => l.Split(' ')[4] == directory);
        }
        finally
        {
            NetworkNamespace.Delete(path);
            NetworkNamespace.Delete(path + "2");
            while (File.ReadAllLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == directory))
            {
                Posix.Unmount(directory, UnmountFlags.Detach);
            }

            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
