using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary><c>wharf login/pull/push/logout</c> against docker-registry, sharing docker's config.json.</summary>
public sealed class RegistryCliTests
{
    [Fact]
    public async Task WharfLogsInPushesPullsAndSharesCredentialsWithDocker()
    {
        await using var reg = await LocalRegistry.StartAsync("bob", "pw-for-bob");
        await using var d = await WharfDaemon.StartAsync("{\"cgroup-parent\":\"wharf-it-regcli-" + Guid.NewGuid().ToString("N")[..8] + "\",\"max-concurrent-downloads\":1,\"max-concurrent-uploads\":1}");
        var image = reg.Host + "/cli/app:v1";
        var id = await d.ImportAsync(Tars.Busybox("cli"), reg.Host + "/cli/app", "v1");

        var login = await d.WharfAsync("login", reg.Host, "-u", "bob", "-p", "pw-for-bob");
        Assert.True(login.ExitCode == 0, login.Stderr);
        Assert.Contains("Login Succeeded", login.Stdout);
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(d.DockerEnv["DOCKER_CONFIG"], "config.json")))!;
        Assert.Equal(Convert.ToBase64String("bob:pw-for-bob"u8.ToArray()), config["auths"]![reg.Host]!["auth"]!.GetValue<string>());

        var push = await d.WharfAsync("push", image);
        Assert.True(push.ExitCode == 0, push.Stderr + push.Stdout);
        Assert.Contains("Pushed", push.Stdout);
        Assert.Contains("v1: digest: sha256:", push.Stdout);

        Assert.Equal(0, (await d.WharfAsync("rmi", "-f", id)).ExitCode);
        var pull = await d.WharfAsync("pull", image);
        Assert.True(pull.ExitCode == 0, pull.Stderr + pull.Stdout);
        Assert.Contains("Pull complete", pull.Stdout);
        Assert.EndsWith(image, pull.Stdout.Trim());

        // docker reads what wharf stored, and wharf what docker removes.
        var dockerPull = await d.DockerAsync("pull", image);
        Assert.True(dockerPull.ExitCode == 0, dockerPull.Stderr);
        var logout = await d.WharfAsync("logout", reg.Host);
        Assert.Contains("Removing login credentials for " + reg.Host, logout.Stdout);
        var denied = await d.WharfAsync("pull", image);
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("pull access denied", denied.Stderr);

        var wrong = await d.WharfAsync("login", reg.Host, "-u", "bob", "-p", "nope");
        Assert.NotEqual(0, wrong.ExitCode);
    }
}
