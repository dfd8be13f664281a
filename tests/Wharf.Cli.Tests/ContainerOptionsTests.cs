using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Commands;

namespace Wharf.Cli.Tests;

public sealed class ContainerOptionsTests
{
    private static JsonObject Build(params string[] args)
    {
        var (flags, rest) = ArgParser.Parse(ContainerOptions.Flags, args, interspersed: false);
        return ContainerOptions.BuildCreateBody(flags, rest[0], rest.Skip(1).ToList(), n => n == "FROM_HOST" ? "hostval" : null, _ => ["# comment", "", "FILE=1"], attachStdio: true);
    }

    [Fact]
    public void EnvFlagsEnvFilesAndHostLookup()
    {
        var body = Build("--env-file", "x.env", "-e", "A=1", "-e", "FROM_HOST", "-e", "UNSET", "busybox");
        Assert.Equal(["FILE=1", "A=1", "FROM_HOST=hostval", "UNSET"], body["Env"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public void StopsAtTheImageSoCommandFlagsStayTheContainers()
    {
        var body = Build("-t", "busybox", "ls", "-l");
        Assert.Equal("busybox", body["Image"]!.GetValue<string>());
        Assert.Equal(["ls", "-l"], body["Cmd"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.True(body["Tty"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("on-failure:3", "on-failure", 3)]
    [InlineData("always", "always", 0)]
    [InlineData("no", "no", 0)]
    [InlineData("unless-stopped", "unless-stopped", 0)]
    [InlineData("always:3", "always", 3)]
    public void RestartPolicy(string value, string name, int count)
    {
        var p = ContainerOptions.RestartPolicy(value);
        Assert.Equal(name, p["Name"]!.GetValue<string>());
        Assert.Equal(count, p["MaximumRetryCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(":3")]
    [InlineData("on-failure:x")]
    public void BadRestartPolicies(string value) => Assert.Equal(125, Assert.Throws<CliErrorException>(() => ContainerOptions.RestartPolicy(value)).ExitCode);

    [Theory]
    [InlineData("64m", 67108864)]
    [InlineData("64MB", 67108864)]
    [InlineData("1g", 1073741824)]
    [InlineData("512k", 524288)]
    [InlineData("1000", 1000)]
    public void MemoryUnits(string value, long bytes) => Assert.Equal(bytes, ContainerOptions.ParseMemory(value));

    [Fact]
    public void LimitsAndHostConfig()
    {
        var host = Build("-m", "64m", "--cpus", "0.5", "--pids-limit", "10", "--restart", "on-failure:3", "--rm", "--init", "--read-only",
            "--cap-add", "NET_ADMIN", "--cap-drop", "ALL", "--privileged", "--network", "none", "--tmpfs", "/run:size=1m", "--security-opt", "no-new-privileges",
            "--log-opt", "max-size=1m", "--runtime", "crun", "busybox")["HostConfig"]!;
        Assert.Equal(67108864, host["Memory"]!.GetValue<long>());
        Assert.Equal(500000000, host["NanoCpus"]!.GetValue<long>());
        Assert.Equal(10, host["PidsLimit"]!.GetValue<long>());
        Assert.Equal("on-failure", host["RestartPolicy"]!["Name"]!.GetValue<string>());
        Assert.True(host["AutoRemove"]!.GetValue<bool>());
        Assert.True(host["Init"]!.GetValue<bool>());
        Assert.True(host["ReadonlyRootfs"]!.GetValue<bool>());
        Assert.True(host["Privileged"]!.GetValue<bool>());
        Assert.Equal("NET_ADMIN", host["CapAdd"]![0]!.GetValue<string>());
        Assert.Equal("ALL", host["CapDrop"]![0]!.GetValue<string>());
        Assert.Equal("none", host["NetworkMode"]!.GetValue<string>());
        Assert.Equal("size=1m", host["Tmpfs"]!["/run"]!.GetValue<string>());
        Assert.Equal("no-new-privileges", host["SecurityOpt"]![0]!.GetValue<string>());
        Assert.Equal("1m", host["LogConfig"]!["Config"]!["max-size"]!.GetValue<string>());
        Assert.Equal("crun", host["Runtime"]!.GetValue<string>());
        Assert.Null(Build("busybox")["HostConfig"]!["Runtime"]);
    }

    [Fact]
    public void VolumesBindsAndAnonymous()
    {
        var body = Build("-v", "/host:/ctr:ro", "-v", "/anon", "busybox");
        Assert.Equal("/host:/ctr:ro", body["HostConfig"]!["Binds"]![0]!.GetValue<string>());
        Assert.NotNull(body["Volumes"]!["/anon"]);
    }

    [Fact]
    public void ConfigFields()
    {
        var body = Build("-i", "-w", "/tmp", "-u", "1000:1000", "--entrypoint", "", "--hostname", "box", "-l", "a=b", "-l", "flag",
            "--stop-signal", "SIGINT", "--stop-timeout", "5", "busybox");
        Assert.True(body["OpenStdin"]!.GetValue<bool>());
        Assert.True(body["AttachStdin"]!.GetValue<bool>());
        Assert.True(body["StdinOnce"]!.GetValue<bool>());
        Assert.Equal("/tmp", body["WorkingDir"]!.GetValue<string>());
        Assert.Equal("1000:1000", body["User"]!.GetValue<string>());
        Assert.Equal("", body["Entrypoint"]![0]!.GetValue<string>());
        Assert.Equal("box", body["Hostname"]!.GetValue<string>());
        Assert.Equal("b", body["Labels"]!["a"]!.GetValue<string>());
        Assert.Equal("", body["Labels"]!["flag"]!.GetValue<string>());
        Assert.Equal("SIGINT", body["StopSignal"]!.GetValue<string>());
        Assert.Equal(5, body["StopTimeout"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("sh", "\"sh\"")]
    [InlineData("sh -c 'echo a long command line'", "\"sh -c 'echo a long …\"")]
    [InlineData("12345678901234567890", "\"12345678901234567890\"")]
    [InlineData("123456789012345678901", "\"1234567890123456789…\"")]
    public void PsCommandIsTruncatedTo20AndQuoted(string command, string expected) => Assert.Equal(expected, ContainerRows.Command(command, trunc: true));

    [Fact]
    public void PsRowUsesTheDaemonsStatusAndShortId()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_000_000);
        var row = ContainerRows.Row(new JsonObject
        {
            ["Id"] = new string('a', 64),
            ["Names"] = new JsonArray("/web"),
            ["Image"] = "busybox",
            ["Command"] = "sleep 300",
            ["Created"] = 1_000_000L - 125,
            ["State"] = "exited",
            ["Status"] = "Exited (137) 5 seconds ago",
            ["Ports"] = new JsonArray(new JsonObject { ["IP"] = "0.0.0.0", ["PrivatePort"] = 80, ["PublicPort"] = 8080, ["Type"] = "tcp" }),
        }, trunc: true, now);
        Assert.Equal("aaaaaaaaaaaa", row.Fields["ID"]!.GetValue<string>());
        Assert.Equal("web", row.Fields["Names"]!.GetValue<string>());
        Assert.Equal("2 minutes ago", row.Fields["RunningFor"]!.GetValue<string>());
        Assert.Equal("Exited (137) 5 seconds ago", row.Fields["Status"]!.GetValue<string>());
        Assert.Equal("0.0.0.0:8080->80/tcp", row.Fields["Ports"]!.GetValue<string>());
    }
}
