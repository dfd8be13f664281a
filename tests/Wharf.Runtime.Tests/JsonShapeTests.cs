using Wharf.Core.Containers.Spec;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wharf.Oci.Runtime;
using Wharf.Runtime.Spec;

namespace Wharf.Runtime.Tests;

public sealed class JsonShapeTests
{
    private static JsonObject Json(RuntimeSpec spec) => JsonNode.Parse(RuntimeSpecBuilder.ToJson(spec))!.AsObject();

    [Fact]
    public void TopLevelKeysAreCamelCaseAndOptionalOnesOmitted()
    {
        var json = Json(Specs.Build());
        Assert.Equal(["ociVersion", "process", "root", "hostname", "mounts", "linux"], json.Select(p => p.Key));
        Assert.Equal("1.0.2", (string?)json["ociVersion"]);
        Assert.Equal("/var/lib/wharf/rootfs", (string?)json["root"]!["path"]);
        Assert.False(json["root"]!.AsObject().ContainsKey("readonly"));
    }

    [Fact]
    public void ProcessShape()
    {
        var process = Json(Specs.Build()).AsObject()["process"]!.AsObject();
        Assert.Equal(["user", "args", "env", "cwd", "capabilities", "oomScoreAdj"], process.Select(p => p.Key));
        Assert.Equal(["uid", "gid", "additionalGids"], process["user"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["bounding", "effective", "permitted"], process["capabilities"]!.AsObject().Select(p => p.Key));
        Assert.Equal(0, (int)process["oomScoreAdj"]!);
    }

    [Fact]
    public void LinuxShape()
    {
        var linux = Json(Specs.Build(r => r with { Resources = new() { Memory = 64 << 20, PidsLimit = 10 } }))["linux"]!.AsObject();
        Assert.Equal(["sysctl", "resources", "cgroupsPath", "namespaces", "devices", "seccomp", "maskedPaths", "readonlyPaths"], linux.Select(p => p.Key));
        var resources = linux["resources"]!.AsObject();
        Assert.Equal(["devices", "memory", "pids", "blockIO"], resources.Select(p => p.Key));
        Assert.Equal(["limit", "swap"], resources["memory"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["allow", "access"], resources["devices"]![0]!.AsObject().Select(p => p.Key));
        Assert.Equal(["type"], linux["namespaces"]![0]!.AsObject().Select(p => p.Key));
        var seccomp = linux["seccomp"]!.AsObject();
        Assert.Equal(["defaultAction", "defaultErrnoRet", "architectures", "syscalls"], seccomp.Select(p => p.Key));
        Assert.Equal(["names", "action"], seccomp["syscalls"]![0]!.AsObject().Select(p => p.Key));
        var socket = seccomp["syscalls"]!.AsArray().First(s => (string?)s!["names"]![0] == "socket")!;
        Assert.Equal(["index", "value", "op"], socket["args"]![0]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void RoundTripsThroughTheContext()
    {
        var spec = Specs.Build(r => r with { Tty = true, SecurityOpt = ["no-new-privileges"], Ulimits = [new Ulimit("nofile", 10, 10)] });
        var text = RuntimeSpecBuilder.ToJson(spec);
        var back = JsonSerializer.Deserialize(text, RuntimeJsonContext.Default.RuntimeSpec)!;
        Assert.Equal(text, RuntimeSpecBuilder.ToJson(back));
        var json = JsonNode.Parse(text)!;
        Assert.True((bool)json["process"]!["terminal"]!);
        Assert.True((bool)json["process"]!["noNewPrivileges"]!);
        Assert.Equal("RLIMIT_NOFILE", (string?)json["process"]!["rlimits"]![0]!["type"]);
    }
}
