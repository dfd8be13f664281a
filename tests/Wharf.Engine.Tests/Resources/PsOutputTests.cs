using Wharf.Core.Errors;
using Wharf.Engine.Containers;

namespace Wharf.Engine.Tests.Resources;

public sealed class PsOutputTests
{
    // What `ps -ef` printed on this host (the PIDs 17046 and 17077 are the container's).
    private const string Ef = """
        UID          PID    PPID  C STIME TTY          TIME CMD
        root           1       0  0 09:15 ?        00:00:00 /sbin/init
        root       17026       1  0 09:28 ?        00:00:00 /usr/bin/containerd-shim-runc-v2 -namespace moby
        root       17046   17026  0 09:28 ?        00:00:00 sh -c sleep 300 & wait
        root       17077   17046  0 09:28 ?        00:00:00 sleep 300

        """;

    [Fact]
    public void KeepsTheContainersRowsAndJoinsTheCommandColumn()
    {
        var top = PsOutput.Parse(Ef, [17046, 17077]);

        Assert.Equal(["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"], top.Titles);
        Assert.Equal(2, top.Processes.Count);
        Assert.Equal(["root", "17046", "17026", "0", "09:28", "?", "00:00:00", "sh -c sleep 300 & wait"], top.Processes[0]);
        Assert.Equal("sleep 300", top.Processes[1][7]);
    }

    [Fact]
    public void ThreadRowsFollowTheirProcess()
    {
        const string threads = """
            PID   LWP COMMAND
            100     - app
              -   100 -
              -   101 -
            200     - other
              -   200 -
            """;

        var top = PsOutput.Parse(threads, [100]);

        Assert.Equal(3, top.Processes.Count);
        Assert.Equal(["-", "101", "-"], top.Processes[2]);
    }

    [Fact]
    public void NoPidColumnIsDockersError()
    {
        var e = Assert.Throws<WharfException>(() => PsOutput.Parse("COMMAND\nsh\n", [1]));

        Assert.Equal(ErrorKind.Internal, e.Kind);
        Assert.Equal("Couldn't find PID field in ps output", e.Message);
    }

    [Fact]
    public void AnUnparsablePidIsAnError()
    {
        var e = Assert.Throws<WharfException>(() => PsOutput.Parse("PID CMD\nabc sh\n", [1]));

        Assert.Equal("Unexpected pid 'abc': strconv.Atoi: parsing \"abc\": invalid syntax", e.Message);
    }

    [Theory]
    [InlineData("-o user=PID", "specifying \"user=PID\" is not allowed")]
    [InlineData("-eo comm= PIDX", "specifying \"comm=PIDX\" is not allowed")]
    public void AliasingAColumnAsPidIsRefused(string args, string message)
    {
        var e = Assert.Throws<WharfException>(() => PsOutput.ValidateArgs(args));

        Assert.Equal(ErrorKind.Internal, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("-ef")]
    [InlineData("-o pid=PID")]
    [InlineData("aux")]
    [InlineData("-o pid,comm")]
    public void OtherArgumentsPass(string args) => PsOutput.ValidateArgs(args);

    [Fact]
    public void ArgumentsSplitOnSingleSpacesAndPidsJoinIntoOneQuickPidArgument()
    {
        Assert.Equal(["-o", "", "pid"], PsOutput.SplitArgs("-o  pid"));
        Assert.Equal("-q1,22,333", PsOutput.PidsArg([1, 22, 333]));
    }
}
