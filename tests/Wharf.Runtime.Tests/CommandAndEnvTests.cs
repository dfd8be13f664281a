using Wharf.Core.Containers.Spec;
using Wharf.Core.Errors;
using Wharf.Runtime.Spec;

namespace Wharf.Runtime.Tests;

public sealed class CommandAndEnvTests
{
    private static readonly ImageRunDefaults Image = new()
    {
        Entrypoint = ["/docker-entrypoint.sh"],
        Cmd = ["nginx", "-g", "daemon off;"],
        Env = ["PATH=/usr/bin:/bin", "NGINX_VERSION=1.25"],
        WorkingDir = "/srv",
        User = "alice",
    };

    [Fact]
    public void ImageEntrypointAndCmdAreUsedWhenContainerGivesNone()
    {
        var spec = Specs.Build(r => r with { Image = Image });
        Assert.Equal(["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"], spec.Process!.Args);
    }

    [Fact]
    public void ContainerCmdReplacesImageCmdButKeepsEntrypoint()
    {
        var spec = Specs.Build(r => r with { Image = Image, Cmd = ["echo", "hi"] });
        Assert.Equal(["/docker-entrypoint.sh", "echo", "hi"], spec.Process!.Args);
    }

    [Fact]
    public void ContainerEntrypointHidesImageEntrypointAndCmd()
    {
        var spec = Specs.Build(r => r with { Image = Image, Entrypoint = ["/bin/true"] });
        Assert.Equal(["/bin/true"], spec.Process!.Args);
    }

    [Fact]
    public void EmptyStringEntrypointClearsItAndUsesContainerCmd()
    {
        var spec = Specs.Build(r => r with { Image = Image, Entrypoint = [""], Cmd = ["ls"] });
        Assert.Equal(["ls"], spec.Process!.Args);
    }

    [Fact]
    public void EmptyStringEntrypointWithoutCmdIsNoCommand()
    {
        // [""] hides the image's cmd as well, exactly like `docker run --entrypoint "" image`.
        var e = Assert.Throws<WharfException>(() => Specs.Build(r => r with { Image = Image, Entrypoint = [""] }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("no command specified", e.Message);
    }

    [Fact]
    public void EmptyListEntrypointKeepsImageCmd()
    {
        var spec = Specs.Build(r => r with { Image = Image, Entrypoint = [] });
        Assert.Equal(["nginx", "-g", "daemon off;"], spec.Process!.Args);
    }

    [Fact]
    public void NoCommandAnywhereIsAnError()
    {
        var e = Assert.Throws<WharfException>(() => Specs.Build(r => r with { Image = null }));
        Assert.Equal("no command specified", e.Message);
    }

    [Fact]
    public void EnvHasDefaultsFirstThenMergedByKey()
    {
        var spec = Specs.Build(r => r with { Image = Image, Env = ["NGINX_VERSION=2", "FOO=bar"] });
        Assert.Equal(
            ["PATH=/usr/bin:/bin", "HOSTNAME=0123456789ab", "NGINX_VERSION=2", "FOO=bar"],
            spec.Process!.Env);
    }

    [Fact]
    public void DefaultPathAndHostnameWithoutImageEnv()
    {
        var spec = Specs.Build(r => r with { Image = null, Cmd = ["sh"], Hostname = "web" });
        Assert.Equal(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=web"], spec.Process!.Env);
        Assert.Equal("web", spec.Hostname);
    }

    [Fact]
    public void TtyAddsTermAndBareKeyRemovesDefault()
    {
        var spec = Specs.Build(r => r with { Image = null, Cmd = ["sh"], Tty = true, Env = ["PATH", "TERM=vt100"] });
        Assert.Equal(["HOSTNAME=0123456789ab", "TERM=vt100"], spec.Process!.Env);
        Assert.True(spec.Process.Terminal);
    }

    [Fact]
    public void DuplicateAppendedKeysAreKeptLikeDocker()
    {
        var env = EnvironmentBuilder.Build("h", false, ["A=1", "A=2"]);
        Assert.Equal(["PATH=" + EnvironmentBuilder.DefaultPath, "HOSTNAME=h", "A=1", "A=2"], env);
    }

    [Fact]
    public void WorkingDirFromImageCleanedAndRelativeRejected()
    {
        Assert.Equal("/srv", Specs.Build(r => r with { Image = Image }).Process!.Cwd);
        Assert.Equal("/a/c", Specs.Build(r => r with { WorkingDir = "/a/b/../c/" }).Process!.Cwd);
        Assert.Equal("/", Specs.Build().Process!.Cwd);
        var e = Assert.Throws<WharfException>(() => Specs.Build(r => r with { WorkingDir = "rel" }));
        Assert.Equal("the working directory 'rel' is invalid, it needs to be an absolute path", e.Message);
    }

    [Fact]
    public void InitWrapsCommandAndMountsBinaryReadOnly()
    {
        var spec = Specs.Build(r => r with { InitPath = "/usr/bin/tini", Cmd = ["sleep", "1"] });
        Assert.Equal(["/sbin/docker-init", "--", "sleep", "1"], spec.Process!.Args);
        var m = Assert.Single(spec.Mounts!, m => m.Destination == "/sbin/docker-init");
        Assert.Equal("/usr/bin/tini", m.Source);
        Assert.Equal(["bind", "ro"], m.Options);
    }

    [Fact]
    public void InitIsSkippedWithHostPidNamespace()
    {
        var spec = Specs.Build(r => r with { InitPath = "/usr/bin/tini", PidMode = NamespaceMode.Host });
        Assert.Equal(["sh"], spec.Process!.Args);
        Assert.DoesNotContain(spec.Mounts!, m => m.Destination == "/sbin/docker-init");
    }
}
