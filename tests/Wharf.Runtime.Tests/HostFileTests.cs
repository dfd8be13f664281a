using Wharf.Core.Containers.Spec;
using Wharf.Runtime.Spec;

namespace Wharf.Runtime.Tests;

public sealed class HostFileTests
{
    [Fact]
    public void PasswdSymlinkCannotEscapeTheRootfs()
    {
        var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "wharf-userfiles-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "etc"));
            Directory.CreateDirectory(Path.Combine(root, "real"));
            File.WriteAllText(Path.Combine(root, "real/passwd"), "inside:x:7:7::/:/bin/sh\n");
            // An absolute target is read relative to the rootfs, and ".." stops at its top.
            File.CreateSymbolicLink(Path.Combine(root, "etc/passwd"), "/../../../real/passwd");
            var files = new RootfsUserFiles();
            Assert.Equal("inside:x:7:7::/:/bin/sh\n", files.ReadPasswd(root));
            Assert.Null(files.ReadGroup(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ParsesProcLimitsAndKernelRelease()
    {
        const string limits = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max open files            1024                 20000                files
            """;
        var parsed = HostFactsProbe.ParseLimits(limits);
        Assert.Equal(20000UL, parsed["RLIMIT_NOFILE"]);
        Assert.Equal(ulong.MaxValue, parsed["RLIMIT_CPU"]);
        Assert.Equal(new Version(6, 18), HostFactsProbe.ParseKernelRelease("6.18.0-1-amd64\n"));
        Assert.Equal(new Version(5, 4), HostFactsProbe.ParseKernelRelease("5.4-rc1"));
    }
}
