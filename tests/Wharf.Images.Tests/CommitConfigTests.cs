using Wharf.Core.Images;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Images.Tests;

/// <summary>Docker's merge of a commit's config with the container's and the image's.</summary>
public sealed class CommitConfigTests
{
    private static readonly ContainerConfig Image = new()
    {
        User = "app",
        Env = ["PATH=/usr/bin:/bin", "LANG=C"],
        Cmd = ["sh"],
        WorkingDir = "/srv",
        Labels = new Dictionary<string, string> { ["from"] = "image", ["shared"] = "image" },
        ExposedPorts = new Dictionary<string, EmptyObject> { ["80/tcp"] = new() },
        Volumes = new Dictionary<string, EmptyObject> { ["/data"] = new() },
        StopSignal = "SIGINT",
        Healthcheck = new HealthConfig { Test = ["CMD", "true"], Interval = 5, Retries = 3 },
    };

    [Fact]
    public void WhatTheUserLeftEmptyComesFromTheImage()
    {
        var merged = CommitConfig.Merge(new ContainerConfig(), Image);
        Assert.Equal("app", merged.User);
        Assert.Equal(["sh"], merged.Cmd);
        Assert.Equal("/srv", merged.WorkingDir);
        Assert.Equal("SIGINT", merged.StopSignal);
        Assert.Equal(Image.Env, merged.Env);
        Assert.Equal(Image.Healthcheck, merged.Healthcheck);
        Assert.Equal(["/data"], merged.Volumes!.Keys);
    }

    [Fact]
    public void EnvironmentAndLabelsAreUnionsWithTheUserWinning()
    {
        var merged = CommitConfig.Merge(new ContainerConfig
        {
            Env = ["LANG=en_US.UTF-8", "X=1"],
            Labels = new Dictionary<string, string> { ["shared"] = "user" },
            ExposedPorts = new Dictionary<string, EmptyObject> { ["8080/tcp"] = new() },
        }, Image);
        Assert.Equal(["LANG=en_US.UTF-8", "X=1", "PATH=/usr/bin:/bin"], merged.Env);
        Assert.Equal("user", merged.Labels!["shared"]);
        Assert.Equal("image", merged.Labels["from"]);
        Assert.Equal(["80/tcp", "8080/tcp"], merged.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnEntrypointKeepsTheUsersEmptyCmd()
    {
        var merged = CommitConfig.Merge(new ContainerConfig { Entrypoint = ["/init"] }, Image);
        Assert.Null(merged.Cmd);
        Assert.Equal(["/init"], merged.Entrypoint);
        Assert.Equal(["echo"], CommitConfig.Merge(new ContainerConfig { Cmd = ["echo"] }, Image).Cmd);
    }

    [Fact]
    public void HealthcheckFieldsAreFilledOneByOne()
    {
        var merged = CommitConfig.Merge(new ContainerConfig { Healthcheck = new HealthConfig { Interval = 9 } }, Image);
        Assert.Equal(["CMD", "true"], merged.Healthcheck!.Test);
        Assert.Equal(9, merged.Healthcheck.Interval);
        Assert.Equal(3, merged.Healthcheck.Retries);
    }

    [Fact]
    public void LabelsAreNeverNull()
        => Assert.NotNull(CommitConfig.Merge(new ContainerConfig(), new ContainerConfig()).Labels);

    [Fact]
    public void BuildAppliesChangesToTheRequestBodyOrTheContainer()
    {
        var container = new ContainerConfig { Hostname = "abc", Image = "busybox", Cmd = ["sleep", "1"], Env = ["C=1"] };
        var request = new ImageCommitRequest { ParentImageId = Digest.Parse("sha256:" + new string('a', 64)), ContainerId = "c", ContainerConfig = container, Changes = ["CMD [\"cat\"]", "ENV X=1"] };
        var fromContainer = CommitConfig.Build(request, Image);
        Assert.Equal(["cat"], fromContainer.Cmd);
        Assert.Equal(["C=1", "X=1", "PATH=/usr/bin:/bin", "LANG=C"], fromContainer.Env);
        Assert.Equal("abc", fromContainer.Hostname);

        // A body replaces the container's config: its Hostname and Image are not merged back.
        var fromBody = CommitConfig.Build(request with { UserConfig = new ContainerConfig { Cmd = ["echo", "body"] }, Changes = [] }, Image);
        Assert.Equal(["echo", "body"], fromBody.Cmd);
        Assert.Equal("", fromBody.Hostname);
        Assert.Equal(["C=1", "PATH=/usr/bin:/bin", "LANG=C"], fromBody.Env);
    }
}
