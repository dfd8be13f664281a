using Wharf.Core.Errors;
using Wharf.Oci.Image;

namespace Wharf.Images.Tests;

public sealed class ConfigChangesTests
{
    [Fact]
    public void AppliesEveryAllowedInstruction()
    {
        var c = ConfigChanges.Apply(new ContainerConfig(),
        [
            "CMD [\"sh\", \"-c\", \"echo hi\"]",
            "ENTRYPOINT /bin/init --flag",
            "ENV A=1 B=\"two words\"",
            "ENV LEGACY value with spaces",
            "ENV A=override",
            "LABEL team=wharf \"quoted key\"=v",
            "EXPOSE 80 443/tcp 53/udp",
            "VOLUME [\"/data\", \"/logs\"]",
            "VOLUME /cache",
            "USER nobody:nogroup",
            "WORKDIR /srv",
            "STOPSIGNAL SIGINT",
            "ONBUILD RUN echo built",
        ]);
        Assert.Equal(["sh", "-c", "echo hi"], c.Cmd);
        Assert.Equal(["/bin/sh", "-c", "/bin/init --flag"], c.Entrypoint);
        Assert.Equal(["A=override", "B=two words", "LEGACY=value with spaces"], c.Env);
        Assert.Equal("wharf", c.Labels!["team"]);
        Assert.Equal("v", c.Labels!["quoted key"]);
        Assert.Equal(["443/tcp", "53/udp", "80/tcp"], c.ExposedPorts!.Keys.Order());
        Assert.Equal(["/cache", "/data", "/logs"], c.Volumes!.Keys.Order());
        Assert.Equal("nobody:nogroup", c.User);
        Assert.Equal("/srv", c.WorkingDir);
        Assert.Equal("SIGINT", c.StopSignal);
        Assert.Equal(["RUN echo built"], c.OnBuild);
    }

    [Theory]
    [InlineData("RUN echo no", "run is not a valid change command")]
    [InlineData("FROM scratch", "from is not a valid change command")]
    [InlineData("EXPOSE 99999", "invalid containerPort: 99999")]
    [InlineData("EXPOSE 80/icmp", "invalid containerPort: 80/icmp")]
    [InlineData("ENV =x", "ENV names can not be blank")]
    [InlineData("USER", "USER requires exactly one argument")]
    [InlineData("LABEL \"unterminated=x", "unmatched quote")]
    public void RejectsWithDockerMessages(string change, string message)
    {
        var e = Assert.Throws<WharfException>(() => ConfigChanges.Apply(new ContainerConfig(), [change]));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShellFormWhenJsonIsInvalid()
        => Assert.Equal(["/bin/sh", "-c", "[not json"], ConfigChanges.Apply(new ContainerConfig(), ["CMD [not json"]).Cmd);
}
