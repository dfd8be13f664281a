using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Commands;

namespace Wharf.Cli.Tests;

public sealed class ExecAndHealthOptionsTests
{
    private static JsonObject Create(params string[] args)
    {
        var (flags, rest) = ArgParser.Parse(ContainerOptions.Flags, args, interspersed: false);
        return ContainerOptions.BuildCreateBody(flags, rest[0], rest.Skip(1).ToList(), _ => null, _ => [], attachStdio: false);
    }

    private static JsonObject Exec(params string[] args)
    {
        var command = new ExecCommand();
        var (flags, rest) = ArgParser.Parse(command.Spec.Flags, args, interspersed: false);
        return ExecCommand.BuildBody(flags, rest.Skip(1).ToList(), n => n == "HOSTVAR" ? "v" : null, _ => ["F=1"]);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1s", 1_000_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("1m30s", 90_000_000_000L)]
    [InlineData("500ms", 500_000_000L)]
    [InlineData("2h", 7_200_000_000_000L)]
    [InlineData("10us", 10_000L)]
    [InlineData("-1s", -1_000_000_000L)]
    public void GoDurations(string text, long nanoseconds) => Assert.Equal(nanoseconds, GoDurationParser.TryParse(text, out _));

    [Theory]
    [InlineData("1", "time: missing unit in duration \"1\"")]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData("s", "time: invalid duration \"s\"")]
    [InlineData("", "time: invalid duration \"\"")]
    public void BadGoDurations(string text, string error)
    {
        Assert.Null(GoDurationParser.TryParse(text, out var e));
        Assert.Equal(error, e);
    }

    [Fact]
    public void HealthFlagsBecomeTheHealthcheck()
    {
        var h = Create("--health-cmd", "curl -f x", "--health-interval", "2s", "--health-retries", "5", "busybox")["Healthcheck"]!;
        Assert.Equal("[\"CMD-SHELL\",\"curl -f x\"]", h["Test"]!.ToJsonString());
        Assert.Equal(2_000_000_000, h["Interval"]!.GetValue<long>());
        Assert.Equal(5, h["Retries"]!.GetValue<long>());
        Assert.Equal(0, h["Timeout"]!.GetValue<long>());

        // Durations alone keep the image's test.
        Assert.False(Create("--health-timeout", "1s", "busybox")["Healthcheck"]!.AsObject().ContainsKey("Test"));
        Assert.Equal("[\"NONE\"]", Create("--no-healthcheck", "busybox")["Healthcheck"]!["Test"]!.ToJsonString());
        Assert.False(Create("busybox").ContainsKey("Healthcheck"));
    }

    [Theory]
    [InlineData(new[] { "--no-healthcheck", "--health-cmd", "x" }, "--no-healthcheck conflicts with --health-* options")]
    [InlineData(new[] { "--health-interval", "-1s" }, "--health-interval cannot be negative")]
    [InlineData(new[] { "--health-retries", "-1" }, "--health-retries cannot be negative")]
    [InlineData(new[] { "--health-start-period", "-2s" }, "--health-start-period cannot be negative")]
    public void HealthFlagErrors(string[] flags, string message)
    {
        var e = Assert.Throws<CliErrorException>(() => Create([.. flags, "busybox"]));
        Assert.Equal(message, e.Message);
        Assert.Equal(125, e.ExitCode);
    }

    [Fact]
    public void BadDurationIsAUsageError()
    {
        var e = Assert.Throws<UsageException>(() => Create("--health-interval", "1", "busybox"));
        Assert.Equal("invalid argument \"1\" for \"--health-interval\" flag: time: missing unit in duration \"1\"", e.Message);
    }

    [Fact]
    public void ExecBodyAttachesOutputUnlessDetached()
    {
        var body = Exec("-i", "-t", "-u", "1000", "-w", "/tmp", "-e", "A=1", "-e", "HOSTVAR", "--env-file", "f", "--privileged", "--detach-keys", "ctrl-a", "ctr", "sh", "-c", "x");
        Assert.True(body["AttachStdin"]!.GetValue<bool>());
        Assert.True(body["AttachStdout"]!.GetValue<bool>());
        Assert.True(body["AttachStderr"]!.GetValue<bool>());
        Assert.True(body["Tty"]!.GetValue<bool>());
        Assert.True(body["Privileged"]!.GetValue<bool>());
        Assert.Equal("1000", body["User"]!.GetValue<string>());
        Assert.Equal("/tmp", body["WorkingDir"]!.GetValue<string>());
        Assert.Equal("ctrl-a", body["DetachKeys"]!.GetValue<string>());
        Assert.Equal("[\"F=1\",\"A=1\",\"HOSTVAR=v\"]", body["Env"]!.ToJsonString());
        Assert.Equal("[\"sh\",\"-c\",\"x\"]", body["Cmd"]!.ToJsonString());

        var detached = Exec("-d", "-i", "ctr", "true");
        Assert.False(detached["AttachStdin"]!.GetValue<bool>());
        Assert.False(detached["AttachStdout"]!.GetValue<bool>());
        Assert.True(detached["Detach"]!.GetValue<bool>());
    }
}
