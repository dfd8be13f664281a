using Wharf.Core.Errors;
using Wharf.Core.Exec;
using Wharf.Oci.Runtime;
using Wharf.Runtime.Spec;

namespace Wharf.Runtime.Tests;

public sealed class ExecProcessTests
{
    private static RuntimeSpec Container(bool tty = false) => new()
    {
        Root = new Root { Path = "/rootfs" },
        Process = new Process
        {
            Terminal = tty,
            User = new User { Uid = 0, Gid = 0, AdditionalGids = [0] },
            Args = ["sleep", "300"],
            Env = tty ? ["PATH=/bin", "HOSTNAME=abc", "TERM=xterm", "A=1"] : ["PATH=/bin", "HOSTNAME=abc", "A=1"],
            Cwd = "/work",
            Capabilities = new LinuxCapabilities { Bounding = ["CAP_CHOWN"], Effective = ["CAP_CHOWN"], Permitted = ["CAP_CHOWN"] },
            NoNewPrivileges = true,
            ApparmorProfile = "docker-default",
        },
    };

    private static ExecProcessSpec Exec(params string[] args) => new() { ExecId = "e", Args = args };

    [Fact]
    public void KeepsTheContainersSecurityAndReplacesTheCommand()
    {
        var p = ExecProcessBuilder.Build(Container(), Exec("ls", "-l"), FakeUserFiles.Standard, 40);
        Assert.Equal(["ls", "-l"], p.Args);
        Assert.Equal("/work", p.Cwd);
        Assert.Equal(0u, p.User.Uid);
        Assert.Equal(["CAP_CHOWN"], p.Capabilities!.Bounding);
        Assert.True(p.NoNewPrivileges);
        Assert.Equal("docker-default", p.ApparmorProfile);
        Assert.False(p.Terminal);
        Assert.Null(p.ConsoleSize);
    }

    [Fact]
    public void EnvironmentGetsTheExecsVariablesAndTermOnlyWithItsTty()
    {
        var plain = ExecProcessBuilder.Build(Container(), Exec("env") with { Env = ["A=2", "B=3"] }, FakeUserFiles.Standard, 40);
        Assert.Equal(["PATH=/bin", "HOSTNAME=abc", "A=2", "B=3"], plain.Env);

        var tty = ExecProcessBuilder.Build(Container(), Exec("sh") with { Tty = true, ConsoleHeight = 24, ConsoleWidth = 80 }, FakeUserFiles.Standard, 40);
        Assert.Equal(["PATH=/bin", "HOSTNAME=abc", "TERM=xterm", "A=1"], tty.Env);
        Assert.True(tty.Terminal);
        Assert.Equal((24u, 80u), (tty.ConsoleSize!.Height, tty.ConsoleSize.Width));

        var fromTtyContainer = ExecProcessBuilder.Build(Container(tty: true), Exec("env"), FakeUserFiles.Standard, 40);
        Assert.Equal(["PATH=/bin", "HOSTNAME=abc", "A=1"], fromTtyContainer.Env);
    }

    [Fact]
    public void UserAndWorkdirResolveLikeTheMainProcess()
    {
        var p = ExecProcessBuilder.Build(Container(), Exec("id") with { User = "alice", WorkingDir = "/tmp", GroupAdd = ["staff"] }, FakeUserFiles.Standard, 40);
        Assert.Equal((1000u, 1000u), (p.User.Uid, p.User.Gid));
        Assert.Equal([1000u, 29u, 44u, 50u], p.User.AdditionalGids);
        Assert.Equal("/tmp", p.Cwd);

        var e = Assert.Throws<WharfException>(() => ExecProcessBuilder.Build(Container(), Exec("id") with { User = "nobody" }, FakeUserFiles.Standard, 40));
        Assert.Equal("unable to find user nobody: no matching entries in passwd file", e.Message);
    }

    [Fact]
    public void PrivilegedExecGetsEveryCapability()
    {
        var p = ExecProcessBuilder.Build(Container(), Exec("id") with { Privileged = true }, FakeUserFiles.Standard, 40);
        Assert.Equal(41, p.Capabilities!.Bounding!.Count);
        Assert.Equal(p.Capabilities.Bounding, p.Capabilities.Effective);
    }
}
