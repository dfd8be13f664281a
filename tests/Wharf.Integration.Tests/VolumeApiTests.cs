using System.Text;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// /volumes and container mounts over the API, against the shapes and messages recorded from
/// Debian's dockerd 20.10 (tests/golden/dockerd-20.10/volumes).
/// </summary>
public sealed class VolumeApiTests(VolumeDaemon fixture) : IClassFixture<VolumeDaemon>
{
    private WharfDaemon D => fixture.D;

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    private static JsonNode Golden(string name) => JsonNode.Parse(File.ReadAllText(Repo.Golden(Path.Combine("volumes", name))))!;

    private static string GoldenError(string name)
    {
        var text = File.ReadAllText(Repo.Golden(Path.Combine("volumes", "errors", name + ".txt")));
        return JsonNode.Parse(text[text.IndexOf('{', StringComparison.Ordinal)..])!["message"]!.GetValue<string>();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static void AssertShape(JsonNode expected, JsonNode actual)
    {
        var diffs = JsonShape.Differences(expected, actual);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs) + "\n" + actual.ToJsonString());
    }

    [Fact]
    public async Task CreateInspectListMatchDockerd()
    {
        var name = Unique("shape");
        var create = await D.SendAsync(HttpMethod.Post, "/v1.41/volumes/create", Json("""{"Name":"@0@","Labels":{"com.example.role":"golden"}}""".Replace("@0@", name, StringComparison.Ordinal)));
        Assert.Equal(201, create.Status);
        var created = JsonNode.Parse(create.Body)!;
        AssertShape(Golden("volume-create-response.json"), created);
        Assert.Equal(
            ["CreatedAt", "Driver", "Labels", "Mountpoint", "Name", "Options", "Scope"],
            created.AsObject().Select(kv => kv.Key));
        Assert.Null(created["Options"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$", created["CreatedAt"]!.GetValue<string>());
        Assert.Equal(Path.Combine(D.DataRoot, "volumes", name, "_data"), created["Mountpoint"]!.GetValue<string>());

        var again = await D.SendAsync(HttpMethod.Post, "/volumes/create", Json("""{"Name":"@0@","Labels":{"other":"x"}}""".Replace("@0@", name, StringComparison.Ordinal)));
        Assert.Equal(201, again.Status);
        Assert.Equal(create.Body, again.Body);

        var tmpfs = await D.SendAsync(HttpMethod.Post, "/volumes/create", Json("""{"Name":"@0@-t","DriverOpts":{"type":"tmpfs","o":"size=1m","device":"tmpfs"}}""".Replace("@0@", name, StringComparison.Ordinal)));
        AssertShape(Golden("volume-create-tmpfs-response.json"), JsonNode.Parse(tmpfs.Body)!);
        Assert.Contains("\"Options\":{\"device\":\"tmpfs\",\"o\":\"size=1m\",\"type\":\"tmpfs\"}", tmpfs.Body, StringComparison.Ordinal);

        var anonymous = JsonNode.Parse((await D.SendAsync(HttpMethod.Post, "/volumes/create", Json("{}"))).Body)!;
        Assert.Equal("""{"com.docker.volume.anonymous":""}""", anonymous["Labels"]!.ToJsonString());
        var empty = await D.SendAsync(HttpMethod.Post, "/volumes/create");
        Assert.Equal(201, empty.Status);

        AssertShape(Golden("volume-inspect.json"), await D.GetJsonAsync("/volumes/" + name));
        var list = await D.GetJsonAsync("/volumes?filters=" + Uri.EscapeDataString("""{"label":["com.example.role=golden"],"name":["@0@"]}""".Replace("@0@", name, StringComparison.Ordinal)));
        AssertShape(Golden("volumes-list.json"), list);
        Assert.Null(list["Warnings"]);
        Assert.Equal([name], list["Volumes"]!.AsArray().Select(v => v!["Name"]!.GetValue<string>()));

        foreach (var v in new[] { name, name + "-t", anonymous["Name"]!.GetValue<string>(), JsonNode.Parse(empty.Body)!["Name"]!.GetValue<string>() })
        {
            Assert.Equal(204, (await D.SendAsync(HttpMethod.Delete, "/volumes/" + v)).Status);
        }
    }

    [Theory]
    [InlineData("volume-create-invalid-name", """{"Name":"bad/name"}""")]
    [InlineData("volume-create-short-name", """{"Name":"a"}""")]
    [InlineData("volume-create-bad-option", """{"Name":"golden-badopt","DriverOpts":{"foo":"bar"}}""")]
    [InlineData("volume-create-type-without-device", """{"Name":"golden-nodevice","DriverOpts":{"type":"tmpfs"}}""")]
    public async Task CreateErrorsAreDockerds(string golden, string body)
    {
        var r = await D.SendAsync(HttpMethod.Post, "/volumes/create", Json(body));
        Assert.Equal(400, r.Status);
        Assert.Equal(GoldenError(golden), JsonNode.Parse(r.Body)!["message"]!.GetValue<string>());
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(D.DataRoot, "volumes")), d => Path.GetFileName(d) is "golden-badopt" or "golden-nodevice" or "a");
    }

    [Fact]
    public async Task LookupErrorsAreDockerds()
    {
        var inspect = await D.SendAsync(HttpMethod.Get, "/volumes/nosuchvolume");
        Assert.Equal((404, GoldenError("volume-inspect-missing")), (inspect.Status, JsonNode.Parse(inspect.Body)!["message"]!.GetValue<string>()));
        var remove = await D.SendAsync(HttpMethod.Delete, "/volumes/nosuchvolume");
        Assert.Equal((404, GoldenError("volume-remove-missing")), (remove.Status, JsonNode.Parse(remove.Body)!["message"]!.GetValue<string>()));
        Assert.Equal(204, (await D.SendAsync(HttpMethod.Delete, "/volumes/nosuchvolume?force=1")).Status);
        Assert.Equal(400, (await D.SendAsync(HttpMethod.Get, "/volumes?filters=" + Uri.EscapeDataString("""{"bogus":["x"]}"""))).Status);
        Assert.Equal(400, (await D.SendAsync(HttpMethod.Get, "/volumes?filters=" + Uri.EscapeDataString("""{"dangling":["maybe"]}"""))).Status);
        Assert.Equal(400, (await D.SendAsync(HttpMethod.Post, "/volumes/prune?filters=" + Uri.EscapeDataString("""{"bogus":["x"]}"""))).Status);
        var bad = await D.SendAsync(HttpMethod.Post, "/volumes/create", Json("""{"Name":"""));
        Assert.Equal(400, bad.Status);
        Assert.StartsWith("invalid JSON", JsonNode.Parse(bad.Body)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(503, (await D.SendAsync(HttpMethod.Put, "/volumes/x?version=1", Json("{}"))).Status);
    }

    [Fact]
    public async Task OldClientsPruneEveryUnusedVolume()
    {
        var label = "old-prune=" + Guid.NewGuid().ToString("N")[..8];
        var named = Unique("named");
        await D.SendAsync(HttpMethod.Post, "/volumes/create", Json("""{"Name":"@0@","Labels":{"@1@":"@2@"}}""".Replace("@0@", named, StringComparison.Ordinal).Replace("@1@", label.Split('=')[0], StringComparison.Ordinal).Replace("@2@", label.Split('=')[1], StringComparison.Ordinal)));
        var filter = Uri.EscapeDataString("""{"label":["@0@"]}""".Replace("@0@", label, StringComparison.Ordinal));

        var current = JsonNode.Parse((await D.SendAsync(HttpMethod.Post, "/v1.47/volumes/prune?filters=" + filter)).Body)!;
        AssertShape(Golden("volumes-prune-empty-response.json"), current);
        Assert.Equal("[]", current["VolumesDeleted"]!.ToJsonString());

        var old = JsonNode.Parse((await D.SendAsync(HttpMethod.Post, "/v1.41/volumes/prune?filters=" + filter)).Body)!;
        AssertShape(Golden("volumes-prune-label-response.json"), old);
        Assert.Equal(named, old["VolumesDeleted"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task ContainerMountsMatchDockerd()
    {
        var golden = Golden("container-inspect-mounts-running.json")["Mounts"]!.AsArray();
        var v = Unique("m");
        var host = Path.Combine(D.Dir, "b-" + v);
        Directory.CreateDirectory(host);
        var body = """
            {"Image":"vol-image","Cmd":["true"],"Volumes":{"/cfgvol":{}},"HostConfig":{"NetworkMode":"none",
             "Binds":["@0@:/named","@1@:/bind:ro","/anonbind","@2@-t:/tmpfsvol","@2@-ro:/named-ro:ro,nocopy"],
             "Mounts":[{"Type":"volume","Source":"@3@-m","Target":"/mvol","VolumeOptions":{"NoCopy":true,"Labels":{"via":"mounts"},"DriverConfig":{"Name":"local"}}},
                       {"Type":"volume","Target":"/manon"},{"Type":"tmpfs","Target":"/mtmpfs","TmpfsOptions":{"SizeBytes":1048576,"Mode":1023}},
                       {"Type":"bind","Source":"@4@","Target":"/mbind","ReadOnly":true,"BindOptions":{"Propagation":"private"}}],
             "Tmpfs":{"/run":"size=1m"}}}
            """.Replace("@0@", v, StringComparison.Ordinal).Replace("@1@", host, StringComparison.Ordinal).Replace("@2@", v, StringComparison.Ordinal).Replace("@3@", v, StringComparison.Ordinal).Replace("@4@", host, StringComparison.Ordinal);
        var create = await D.SendAsync(HttpMethod.Post, "/v1.41/containers/create?name=" + v, Json(body));
        Assert.True(create.Status == 201, create.Body);
        var id = JsonNode.Parse(create.Body)!["Id"]!.GetValue<string>();
        var inspect = await D.GetJsonAsync($"/v1.41/containers/{id}/json");
        var mounts = inspect["Mounts"]!.AsArray().Select(m => m!).ToList();
        Assert.Equal(golden.Count, mounts.Count);
        foreach (var expected in golden)
        {
            var destination = expected!["Destination"]!.GetValue<string>();
            var actual = mounts.Single(m => m["Destination"]!.GetValue<string>() == destination);
            AssertShape(expected, actual);
            foreach (var field in new[] { "Type", "Mode", "RW", "Propagation", "Driver" })
            {
                if (expected[field] is { } value)
                {
                    Assert.True(value.ToJsonString() == actual[field]!.ToJsonString(), $"{destination} {field}: {value.ToJsonString()} != {actual[field]!.ToJsonString()}");
                }
            }
        }

        Assert.Equal("""{"/cfgvol":{},"/data":{}}""", inspect["Config"]!["Volumes"]!.ToJsonString());
        var listed = (await D.GetJsonAsync("/v1.41/containers/json?all=1&filters=" + Uri.EscapeDataString("""{"volume":["@0@"]}""".Replace("@0@", v, StringComparison.Ordinal))))[0]!["Mounts"]!.AsArray();
        Assert.Equal("", listed.Single(m => m!["Destination"]!.GetValue<string>() == "/cfgvol")!["Source"]!.GetValue<string>());

        var df = await D.GetJsonAsync("/v1.41/system/df");
        var entry = df["Volumes"]!.AsArray().Single(e => e!["Name"]!.GetValue<string>() == v)!;
        AssertShape(Golden("system-df.json")["Volumes"]![0]!, entry);
        Assert.Equal(1, entry["UsageData"]!["RefCount"]!.GetValue<int>());

        var rm = await D.SendAsync(HttpMethod.Delete, $"/v1.41/volumes/{v}");
        Assert.Equal(409, rm.Status);
        Assert.Equal($"remove {v}: volume is in use - [{id}]", JsonNode.Parse(rm.Body)!["message"]!.GetValue<string>());
        Assert.Equal(204, (await D.SendAsync(HttpMethod.Delete, $"/containers/{id}?v=1")).Status);
        foreach (var left in new[] { v, v + "-ro", v + "-m", v + "-t" })
        {
            Assert.Equal(204, (await D.SendAsync(HttpMethod.Delete, "/volumes/" + left)).Status);
        }
    }

    [Theory]
    [InlineData("create-duplicate-bind", """ "Binds":["golden-vol:/x","/tmp:/x"] """)]
    [InlineData("create-duplicate-bind-mount", """ "Binds":["golden-vol:/x"],"Mounts":[{"Type":"volume","Target":"/x"}] """)]
    [InlineData("create-duplicate-bind-tmpfs", """ "Binds":["golden-vol:/run"],"Tmpfs":{"/run":""} """)]
    [InlineData("create-mount-duplicate", """ "Mounts":[{"Type":"volume","Target":"/x"},{"Type":"tmpfs","Target":"/x"}] """)]
    [InlineData("create-bind-relative-target", """ "Binds":["golden-vol:rel"] """)]
    [InlineData("create-bind-root-target", """ "Binds":["golden-vol:/"] """)]
    [InlineData("create-bind-invalid-spec", """ "Binds":["a:/b:ro:x"] """)]
    [InlineData("create-bind-empty-source", """ "Binds":[":/b"] """)]
    [InlineData("create-bind-invalid-mode", """ "Binds":["golden-vol:/x:bogus"] """)]
    [InlineData("create-bind-mode-only", """ "Binds":["/x:ro"] """)]
    [InlineData("create-bind-invalid-volume-name", """ "Binds":["bad$name:/x"] """)]
    [InlineData("create-mount-no-target", """ "Mounts":[{"Type":"volume","Source":"golden-vol"}] """)]
    [InlineData("create-mount-relative-target", """ "Mounts":[{"Type":"bind","Source":"/tmp","Target":"rel"}] """)]
    [InlineData("create-mount-bind-no-source", """ "Mounts":[{"Type":"bind","Target":"/x"}] """)]
    [InlineData("create-mount-bind-relative-source", """ "Mounts":[{"Type":"bind","Source":"rel","Target":"/x"}] """)]
    [InlineData("create-mount-bind-bad-propagation", """ "Mounts":[{"Type":"bind","Source":"/tmp","Target":"/x","BindOptions":{"Propagation":"bogus"}}] """)]
    [InlineData("create-mount-bind-volume-options", """ "Mounts":[{"Type":"bind","Source":"/tmp","Target":"/x","VolumeOptions":{"NoCopy":true}}] """)]
    [InlineData("create-mount-volume-bind-options", """ "Mounts":[{"Type":"volume","Target":"/x","BindOptions":{"Propagation":"rshared"}}] """)]
    [InlineData("create-mount-volume-anonymous-readonly", """ "Mounts":[{"Type":"volume","Target":"/x","ReadOnly":true}] """)]
    [InlineData("create-mount-volume-invalid-name", """ "Mounts":[{"Type":"volume","Source":"bad$name","Target":"/x"}] """)]
    [InlineData("create-mount-tmpfs-source", """ "Mounts":[{"Type":"tmpfs","Source":"/x","Target":"/y"}] """)]
    [InlineData("create-mount-unknown-type", """ "Mounts":[{"Type":"bogus","Target":"/x"}] """)]
    [InlineData("create-volumes-from-bad-mode", """ "VolumesFrom":["golden-vols:bogus"] """)]
    [InlineData("create-volumes-from-empty", """ "VolumesFrom":[""] """)]
    [InlineData("create-volumes-from-missing", """ "VolumesFrom":["nosuchcontainer"] """)]
    public async Task BadMountsAre400WithDockerdsMessage(string golden, string hostConfig)
    {
        var before = Directory.EnumerateDirectories(Path.Combine(D.DataRoot, "volumes")).Count();
        var r = await D.SendAsync(HttpMethod.Post, "/containers/create", Json("""{"Image":"busybox","HostConfig":{"NetworkMode":"none",@0@}}""".Replace("@0@", hostConfig, StringComparison.Ordinal)));
        Assert.Equal(400, r.Status);
        var message = JsonNode.Parse(r.Body)!["message"]!.GetValue<string>();
        Assert.Equal(GoldenError(golden).Replace("/tmp/wharf-golden-vol.XXXXXX/bind", "/tmp", StringComparison.Ordinal), message);
        Assert.Equal(before, Directory.EnumerateDirectories(Path.Combine(D.DataRoot, "volumes")).Count());
    }

    [Fact]
    public async Task BindSourceMustExistForMountsButNotForBinds()
    {
        var missing = Path.Combine(D.Dir, "missing-" + Guid.NewGuid().ToString("N")[..6]);
        var r = await D.SendAsync(HttpMethod.Post, "/containers/create", Json("""{"Image":"busybox","HostConfig":{"Mounts":[{"Type":"bind","Source":"@0@","Target":"/x"}]}}""".Replace("@0@", missing, StringComparison.Ordinal)));
        Assert.Equal(400, r.Status);
        Assert.Equal(GoldenError("create-mount-bind-missing-source").Replace("/tmp/wharf-golden-vol.XXXXXX/nope", missing, StringComparison.Ordinal), JsonNode.Parse(r.Body)!["message"]!.GetValue<string>());
        var file = await D.SendAsync(HttpMethod.Post, "/containers/create", Json("""{"Image":"busybox","Volumes":{"/etc/passwd":{}}}"""));
        Assert.Equal(400, file.Status);
        Assert.Contains("cannot mount volume over existing file, file exists", file.Body, StringComparison.Ordinal);

        var bind = await D.SendAsync(HttpMethod.Post, "/containers/create", Json("""{"Image":"busybox","Cmd":["true"],"HostConfig":{"NetworkMode":"none","Binds":["@0@:/x"]}}""".Replace("@0@", missing, StringComparison.Ordinal)));
        Assert.Equal(201, bind.Status);
        var id = JsonNode.Parse(bind.Body)!["Id"]!.GetValue<string>();
        Assert.Equal(204, (await D.SendAsync(HttpMethod.Post, $"/containers/{id}/start")).Status);
        await D.SendAsync(HttpMethod.Post, $"/containers/{id}/wait");
        Assert.True(Directory.Exists(missing));
        await D.SendAsync(HttpMethod.Delete, $"/containers/{id}");
    }
}
