using System.Text.Json;
using Wharf.Api.Containers;

namespace Wharf.Api.Tests.Containers;

/// <summary>What docker CLIs send to <c>POST /containers/create</c> must read into the right values.</summary>
public sealed class CreateRequestTests
{
    /// <summary>
    /// Written by hand from the API reference and the CLI's Go types: what
    /// <c>docker run -d --name x -e A=1 -m 64m --cpus 0.5 --restart on-failure:3 busybox sleep 1</c>
    /// sends (detached: no attach flags; default network; the CLI writes empty lists as []).
    /// </summary>
    private const string DockerRunDetached = """
        {
          "Hostname": "", "Domainname": "", "User": "",
          "AttachStdin": false, "AttachStdout": false, "AttachStderr": false,
          "Tty": false, "OpenStdin": false, "StdinOnce": false,
          "Env": ["A=1"], "Cmd": ["sleep", "1"], "Image": "busybox",
          "Volumes": {}, "WorkingDir": "", "Entrypoint": null, "OnBuild": null, "Labels": {},
          "HostConfig": {
            "Binds": null, "ContainerIDFile": "",
            "LogConfig": {"Type": "", "Config": {}},
            "NetworkMode": "default", "PortBindings": {},
            "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3},
            "AutoRemove": false, "VolumeDriver": "", "VolumesFrom": null, "ConsoleSize": [0, 0],
            "CapAdd": null, "CapDrop": null, "CgroupnsMode": "", "Dns": [], "DnsOptions": [], "DnsSearch": [],
            "ExtraHosts": null, "GroupAdd": null, "IpcMode": "", "Cgroup": "", "Links": null,
            "OomScoreAdj": 0, "PidMode": "", "Privileged": false, "PublishAllPorts": false,
            "ReadonlyRootfs": false, "SecurityOpt": null, "UTSMode": "", "UsernsMode": "", "ShmSize": 0,
            "Isolation": "", "CpuShares": 0, "Memory": 67108864, "NanoCpus": 500000000, "CgroupParent": "",
            "BlkioWeight": 0, "BlkioWeightDevice": [], "BlkioDeviceReadBps": [], "BlkioDeviceWriteBps": [],
            "BlkioDeviceReadIOps": [], "BlkioDeviceWriteIOps": [], "CpuPeriod": 0, "CpuQuota": 0,
            "CpuRealtimePeriod": 0, "CpuRealtimeRuntime": 0, "CpusetCpus": "", "CpusetMems": "",
            "Devices": [], "DeviceCgroupRules": null, "DeviceRequests": null, "MemoryReservation": 0,
            "MemorySwap": 0, "MemorySwappiness": -1, "OomKillDisable": false, "PidsLimit": 0,
            "Ulimits": [], "CpuCount": 0, "CpuPercent": 0, "IOMaximumIOps": 0, "IOMaximumBandwidth": 0,
            "MaskedPaths": null, "ReadonlyPaths": null
          },
          "NetworkingConfig": {"EndpointsConfig": {"default": {"IPAMConfig": null, "Links": null, "Aliases": null}}}
        }
        """;

    [Fact]
    public void Docker_run_detached_body_reads_into_the_right_values()
    {
        var r = JsonSerializer.Deserialize(DockerRunDetached, ContainerJsonContext.Wire.ContainerCreateRequest)!;

        Assert.Equal("busybox", r.Image);
        Assert.Equal(["sleep", "1"], r.Cmd);
        Assert.Equal(["A=1"], r.Env);
        Assert.Null(r.Entrypoint);
        Assert.False(r.AttachStdout);
        Assert.Empty(r.Labels!);
        var h = r.HostConfig!;
        Assert.Equal(64L * 1024 * 1024, h.Memory);
        Assert.Equal(500_000_000, h.NanoCpus);
        Assert.Equal(new RestartPolicy { Name = "on-failure", MaximumRetryCount = 3 }, h.RestartPolicy);
        Assert.Equal("default", h.NetworkMode);
        Assert.Equal(-1, h.MemorySwappiness);
        Assert.Equal(0, h.PidsLimit);
        Assert.False(h.OomKillDisable);
        Assert.Null(h.Init);
        Assert.Null(h.Binds);
        Assert.Empty(h.Dns!);
        Assert.Empty(h.PortBindings!);
        Assert.Equal([0u, 0u], h.ConsoleSize);
        Assert.Equal("", h.LogConfig.Type);
        Assert.Empty(h.LogConfig.Config!);
        var endpoint = Assert.Single(r.NetworkingConfig!.EndpointsConfig!);
        Assert.Equal("default", endpoint.Key);
        Assert.Null(endpoint.Value.IpamConfig);
    }

    [Fact]
    public void Recorded_docker_cli_28_body_reads_into_the_right_values()
    {
        // tests/golden/dockerd-20.10/containers/cli-create-request.json: captured from the real CLI
        // running `docker create --name golden-cli -e A=1 -m 64m --cpus 0.5 --restart on-failure:3 --network none busybox sleep 1`.
        var r = JsonSerializer.Deserialize(Golden.Read("cli-create-request.json"), ContainerJsonContext.Wire.ContainerCreateRequest)!;

        Assert.Equal("busybox", r.Image);
        Assert.Equal(["sleep", "1"], r.Cmd);
        Assert.Equal(["A=1"], r.Env);
        Assert.True(r.AttachStdout);
        Assert.True(r.AttachStderr);
        Assert.NotNull(r.Volumes);
        Assert.Empty(r.Volumes);
        var h = r.HostConfig!;
        Assert.Equal(67108864, h.Memory);
        Assert.Equal(500000000, h.NanoCpus);
        Assert.Equal("on-failure", h.RestartPolicy.Name);
        Assert.Equal(3, h.RestartPolicy.MaximumRetryCount);
        Assert.Equal("none", h.NetworkMode);
        Assert.Null(h.KernelMemory);
        Assert.Empty(r.NetworkingConfig!.EndpointsConfig!);
    }

    [Fact]
    public void Full_request_reads_every_field_the_recording_set()
    {
        var r = JsonSerializer.Deserialize(Golden.Read("container-create-full-request.json"), ContainerJsonContext.Wire.ContainerCreateRequest)!;
        var h = r.HostConfig!;

        Assert.Equal("1000:1000", r.User);
        Assert.True(r.OpenStdin);
        Assert.Equal("SIGUSR1", r.StopSignal);
        Assert.Equal(10, r.StopTimeout);
        Assert.Equal(["CMD-SHELL", "test -f /tmp/hello"], r.Healthcheck!.Test);
        Assert.Equal(1_000_000_000, r.Healthcheck.Interval);
        Assert.Equal(3, r.Healthcheck.Retries);
        Assert.Equal("", r.Labels!["empty"]);
        Assert.Equal(100, h.PidsLimit);
        Assert.Equal(["NET_ADMIN"], h.CapAdd);
        Assert.Equal(["MKNOD"], h.CapDrop);
        Assert.Equal("rw,size=1m", h.Tmpfs!["/run"]);
        Assert.Equal(["no-new-privileges"], h.SecurityOpt);
        Assert.True(h.Init);
        Assert.Equal(new Ulimit { Name = "nofile", Soft = 1024, Hard = 2048 }, Assert.Single(h.Ulimits!));
        Assert.Equal("1m", h.LogConfig.Config!["max-size"]);
        Assert.EndsWith(":/data:ro", Assert.Single(h.Binds!), StringComparison.Ordinal);
    }

    [Fact]
    public void ToContainerConfig_keeps_the_config_fields_and_fills_defaults()
    {
        var r = JsonSerializer.Deserialize("""{"Image":"busybox","Cmd":["true"],"Hostname":null}""", ContainerJsonContext.Wire.ContainerCreateRequest)!;

        var c = r.ToContainerConfig();

        Assert.Equal("busybox", c.Image);
        Assert.Equal(["true"], c.Cmd);
        Assert.Equal("", c.Hostname);
        Assert.Equal("", c.WorkingDir);
        Assert.Null(c.Env);
    }

    [Fact]
    public void Mounts_with_options_read_and_omit_unset_fields()
    {
        const string body = """
            {"Image":"busybox","HostConfig":{"Mounts":[
              {"Type":"bind","Source":"/src","Target":"/dst","ReadOnly":true,"BindOptions":{"Propagation":"rslave","CreateMountpoint":true}},
              {"Type":"volume","Source":"v","Target":"/v","VolumeOptions":{"NoCopy":true,"Labels":{"a":"b"},"DriverConfig":{"Name":"local","Options":{"o":"x"}},"Subpath":"sub"}},
              {"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":1048576,"Mode":1023,"Options":[["noexec"]]}}]}}
            """;
        var r = JsonSerializer.Deserialize(body, ContainerJsonContext.Wire.ContainerCreateRequest)!;
        var m = r.HostConfig!.Mounts!;

        Assert.Equal("rslave", m[0].BindOptions!.Propagation);
        Assert.True(m[0].ReadOnly);
        Assert.Equal("local", m[1].VolumeOptions!.DriverConfig!.Name);
        Assert.Equal("sub", m[1].VolumeOptions!.Subpath);
        Assert.Equal(1048576, m[2].TmpfsOptions!.SizeBytes);
        Assert.Equal(1023u, m[2].TmpfsOptions!.Mode);

        var written = JsonSerializer.Serialize(m[2], ContainerJsonContext.Wire.Mount);
        Assert.Equal("""{"Target":"/t","Type":"tmpfs","TmpfsOptions":{"SizeBytes":1048576,"Mode":1023,"Options":[["noexec"]]}}""", written);
    }
}
