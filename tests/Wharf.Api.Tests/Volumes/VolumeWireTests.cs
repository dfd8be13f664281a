using System.Text.Json;
using System.Text.Json.Nodes;
using Wharf.Api.Containers;
using Wharf.Api.Volumes;

namespace Wharf.Api.Tests.Volumes;

/// <summary>Volume wire types against dockerd 20.10's recordings (tests/golden/dockerd-20.10/volumes).</summary>
public sealed class VolumeWireTests
{
    private static readonly VolumeJsonContext Ctx = VolumeJsonContext.Wire;

    private static JsonNode Golden(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Wharf.Api.Tests.Golden.ContainersDir, "..", "volumes", name)))!;

    [Fact]
    public void VolumeKeysAndNullsAreDockerds()
    {
        var golden = Golden("volume-create-tmpfs-response.json");
        var v = new Volume
        {
            CreatedAt = "2026-11-22T09:17:51Z",
            Driver = "local",
            Mountpoint = "/x/_data",
            Name = "golden-tmpfs",
            Options = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["device"] = "tmpfs", ["o"] = "size=1m", ["type"] = "tmpfs" },
            Scope = "local",
        };
        var json = JsonNode.Parse(JsonSerializer.Serialize(v, Ctx.Volume))!.AsObject();
        Assert.Equal(golden.AsObject().Select(kv => kv.Key), json.Select(kv => kv.Key));
        var diffs = JsonShape.Compare(golden, json, strict: true).Where(d => !d.Contains("Mountpoint", StringComparison.Ordinal) && !d.Contains("CreatedAt", StringComparison.Ordinal)).ToList();
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
        Assert.Null(json["Labels"]);
        Assert.False(json.ContainsKey("UsageData"));
        Assert.False(json.ContainsKey("Status"));
    }

    [Fact]
    public void ListAndPruneResponses()
    {
        Assert.Equal("""{"Volumes":[],"Warnings":null}""", JsonSerializer.Serialize(new VolumeListResponse { Volumes = [] }, Ctx.VolumeListResponse));
        Assert.Equal("""{"VolumesDeleted":[],"SpaceReclaimed":0}""", JsonSerializer.Serialize(new VolumesPruneResponse { VolumesDeleted = [] }, Ctx.VolumesPruneResponse));
        var df = new Volume { Name = "v", UsageData = new VolumeUsageData { RefCount = 1, Size = 3 } };
        Assert.EndsWith("""
            "UsageData":{"RefCount":1,"Size":3}}
            """, JsonSerializer.Serialize(df, Ctx.Volume), StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRequestReadsWhatTheDockerCliSends()
    {
        var req = JsonSerializer.Deserialize("""{"Driver":"local","DriverOpts":{"type":"tmpfs"},"Labels":{"a":"b"},"Name":"n"}""", Ctx.VolumeCreateRequest)!;
        Assert.Equal(("n", "local", "tmpfs", "b"), (req.Name, req.Driver, req.DriverOpts!["type"], req.Labels!["a"]));
    }

    [Fact]
    public void BindMountPointsHaveNoNameOrDriver()
    {
        var golden = Golden("container-inspect-mounts-running.json")["Mounts"]!.AsArray().First(m => m!["Type"]!.GetValue<string>() == "bind")!;
        var bind = new MountPoint { Type = "bind", Source = "/s", Destination = "/d", Mode = "ro", Rw = false, Propagation = "rprivate" };
        var json = JsonNode.Parse(JsonSerializer.Serialize(bind, ContainerJsonContext.Wire.MountPoint))!.AsObject();
        Assert.Equal(golden.AsObject().Select(kv => kv.Key), json.Select(kv => kv.Key));
    }
}
