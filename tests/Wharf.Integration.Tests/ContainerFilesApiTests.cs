using System.Formats.Tar;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// The archive endpoints against hostile containers: links to "/", up the tree and to a host
/// directory, tars with "..", absolute names, links out and hard links to host files. Whatever
/// the container or the tar says, reads and writes stay inside the container, running or not,
/// and the host directory never changes. Also the error statuses and the stat header's shape.
/// </summary>
public sealed class ContainerFilesApiTests : IAsyncLifetime
{
    private const string Setup = "ln -s / /evil; ln -s ../../../../../../.. /up; ln -s {HOST} /hostlink; ln -s /evil/etc /etclink; mkdir -p /d; echo secret-in-container > /d/f.txt; touch /ready";

    private WharfDaemon _d = null!;
    private string _host = null!;
    private string _hostBefore = null!;

    public async Task InitializeAsync()
    {
        _d = await WharfDaemon.StartAsync();
        await _d.ImportAsync(Tars.Busybox("files-api"), "busybox", "latest", "CMD [\"sh\"]");
        _host = Path.Combine(_d.Dir, "host-sentinel");
        Directory.CreateDirectory(_host);
        await File.WriteAllTextAsync(Path.Combine(_host, "sentinel.txt"), "host file");
        _hostBefore = HostFingerprint();
    }

    public async Task DisposeAsync() => await _d.DisposeAsync();

    private string HostFingerprint()
        => string.Join('\n', Directory.EnumerateFileSystemEntries(_host, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(p => p + ":" + (File.Exists(p) ? File.ReadAllText(p) : "dir")));

    private async Task<string> RunHostileAsync(string name, bool keepRunning)
    {
        var cmd = Setup.Replace("{HOST}", _host, StringComparison.Ordinal) + (keepRunning ? "; sleep 300" : "");
        var run = await _d.DockerAsync("run", "-d", "--name", name, "--network", "none", "busybox", "sh", "-c", cmd);
        Assert.True(run.ExitCode == 0, run.Stderr);
        if (keepRunning)
        {
            await WaitForPathAsync(name, "/ready");
        }
        else
        {
            Assert.Equal(0, (await _d.DockerAsync("wait", name)).ExitCode);
        }

        return name;
    }

    private async Task WaitForPathAsync(string container, string path)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await StatusAsync(HttpMethod.Head, container, path) == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{path} never appeared in {container}");
    }

    private async Task<HttpStatusCode> StatusAsync(HttpMethod method, string container, string path)
    {
        using var r = await _d.Client.SendAsync(new HttpRequestMessage(method, $"/containers/{container}/archive?path={Uri.EscapeDataString(path)}"));
        return r.StatusCode;
    }

    private async Task<(HttpStatusCode Status, Dictionary<string, string> Entries, JsonNode? Stat, string Body)> GetAsync(string container, string path)
    {
        using var r = await _d.Client.GetAsync($"/containers/{container}/archive?path={Uri.EscapeDataString(path)}");
        var bytes = await r.Content.ReadAsByteArrayAsync();
        if (r.StatusCode != HttpStatusCode.OK)
        {
            return (r.StatusCode, [], null, Encoding.UTF8.GetString(bytes));
        }

        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = new TarReader(new MemoryStream(bytes)))
        {
            while (reader.GetNextEntry() is { } e)
            {
                entries[e.Name] = e.DataStream is { } d ? new StreamReader(d).ReadToEnd() : e.LinkName;
            }
        }

        var header = r.Headers.GetValues("X-Docker-Container-Path-Stat").Single();
        return (r.StatusCode, entries, JsonNode.Parse(Convert.FromBase64String(header)), "");
    }

    private async Task<(HttpStatusCode Status, string Body)> PutAsync(string container, string path, byte[] tar, string query = "")
    {
        using var content = new ByteArrayContent(tar);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
        using var r = await _d.Client.PutAsync($"/containers/{container}/archive?path={Uri.EscapeDataString(path)}{query}", content);
        return (r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    private static byte[] Tar(params (TarEntryType Type, string Name, string Value)[] entries) => Tars.Build(w =>
    {
        foreach (var (type, name, value) in entries)
        {
            var e = new PaxTarEntry(type, name) { Mode = (UnixFileMode)0b110_100_100 };
            if (type == TarEntryType.RegularFile)
            {
                e.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(value));
            }
            else if (type is TarEntryType.SymbolicLink or TarEntryType.HardLink)
            {
                e.LinkName = value;
            }

            w.WriteEntry(e);
        }
    });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadsThroughEvilLinksSeeOnlyTheContainer(bool running)
    {
        var c = await RunHostileAsync(running ? "evil-running" : "evil-stopped", running);
        foreach (var path in new[] { "/evil/etc/passwd", "/up/etc/passwd", "/etclink/passwd", "/evil/up/evil/etc/passwd" })
        {
            var (status, entries, _, body) = await GetAsync(c, path);
            Assert.True(status == HttpStatusCode.OK, path + ": " + body);
            Assert.StartsWith("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534", entries["passwd"], StringComparison.Ordinal);
        }

        var hostRead = await GetAsync(c, "/hostlink/sentinel.txt");
        Assert.Equal(HttpStatusCode.NotFound, hostRead.Status);
        Assert.Contains($"Could not find the file /hostlink/sentinel.txt in container {c}", hostRead.Body, StringComparison.Ordinal);

        var (_, up, upStat, _) = await GetAsync(c, "/up");
        Assert.Equal("../../../../../../..", up["up"]);
        Assert.Equal("/", upStat!["linkTarget"]!.GetValue<string>());
        Assert.Equal(_host, (await GetAsync(c, "/hostlink")).Stat!["linkTarget"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task WritesThroughEvilLinksAndTarsStayInTheContainer(bool running)
    {
        var c = await RunHostileAsync(running ? "write-running" : "write-stopped", running);
        var marker = "pwned-" + Guid.NewGuid().ToString("N") + ".txt";

        // Extracting to a link to "/" writes into the container's root.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(c, "/evil", Tar((TarEntryType.RegularFile, marker, "x")))).Status);
        Assert.Equal("x", (await GetAsync(c, "/" + marker)).Entries[marker]);
        Assert.False(File.Exists("/" + marker));

        // A link to a host directory resolves inside the container, where it does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(c, "/hostlink", Tar((TarEntryType.RegularFile, marker, "x")))).Status);

        // Hostile tars.
        var dotdot = await PutAsync(c, "/d", Tar((TarEntryType.RegularFile, "../../../../" + marker, "x")));
        Assert.Equal(HttpStatusCode.BadRequest, dotdot.Status);
        Assert.Contains("is outside of", dotdot.Body, StringComparison.Ordinal);
        var hardlink = await PutAsync(c, "/d", Tar((TarEntryType.HardLink, "hl", "../../../../etc/shadow")));
        Assert.Equal(HttpStatusCode.BadRequest, hardlink.Status);
        var linkOut = await PutAsync(c, "/d", Tar((TarEntryType.SymbolicLink, "out", "../../../../" + _host)));
        Assert.Equal(HttpStatusCode.BadRequest, linkOut.Status);
        var through = await PutAsync(c, "/d", Tar((TarEntryType.SymbolicLink, "s", _host), (TarEntryType.RegularFile, "s/" + marker, "through")));
        Assert.Equal(HttpStatusCode.OK, through.Status);
        var landed = await GetAsync(c, "/d" + _host + "/" + marker);
        Assert.Equal(HttpStatusCode.OK, landed.Status);
        var existing = await PutAsync(c, "/", Tar((TarEntryType.RegularFile, "hostlink/" + marker, "x")));
        Assert.Equal(HttpStatusCode.OK, existing.Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(c, _host + "/" + marker)).Status);

        Assert.Equal(_hostBefore, HostFingerprint());
        Assert.False(File.Exists("/" + marker));
    }

    [Fact]
    public async Task ErrorsHaveDockersStatusesAndMessages()
    {
        var c = await RunHostileAsync("errors", keepRunning: true);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Head, c, "/nope"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(HttpMethod.Head, "no-such-container", "/"));
        var (status, body) = await _d.SendAsync(HttpMethod.Get, $"/containers/{c}/archive");
        Assert.Equal((400, "{\"message\":\"bad parameter: pathcannot be empty\"}"), (status, body.Trim()));
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(c, "/d/f.txt/")).Status);
        var notDir = await PutAsync(c, "/d/f.txt", Tar((TarEntryType.RegularFile, "x", "x")));
        Assert.Equal((HttpStatusCode.BadRequest, "{\"message\":\"extraction point is not a directory\"}"), (notDir.Status, notDir.Body.Trim()));
        var missing = await PutAsync(c, "/nope", Tar((TarEntryType.RegularFile, "x", "x")));
        Assert.Equal((HttpStatusCode.NotFound, $"{{\"message\":\"Could not find the file /nope in container {c}\"}}"), (missing.Status, missing.Body.Trim()));
        var garbage = await PutAsync(c, "/d", Encoding.UTF8.GetBytes(new string('x', 2000)));
        Assert.Equal(HttpStatusCode.BadRequest, garbage.Status);
        var device = await PutAsync(c, "/d", Tars.Build(w => w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "mem") { DeviceMajor = 1, DeviceMinor = 1 })));
        Assert.Equal(HttpStatusCode.BadRequest, device.Status);
        var proc = await PutAsync(c, "/proc", Tar((TarEntryType.RegularFile, "x", "x")));
        Assert.Equal(HttpStatusCode.Forbidden, proc.Status);
        var noOverwrite = await PutAsync(c, "/", Tar((TarEntryType.RegularFile, "d", "x")), "&noOverwriteDirNonDir=1");
        Assert.Equal(HttpStatusCode.BadRequest, noOverwrite.Status);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(c, "/d", [])).Status);
    }

    [Fact]
    public async Task ReadOnlyRootsAreForbiddenButTheirWritableMountsAreNot()
    {
        Assert.Equal(0, (await _d.DockerAsync("create", "--name", "ro-stopped", "--read-only", "--network", "none", "busybox", "true")).ExitCode);
        var stopped = await PutAsync("ro-stopped", "/tmp", Tar((TarEntryType.RegularFile, "x", "x")));
        Assert.Equal((HttpStatusCode.Forbidden, "{\"message\":\"container rootfs is marked read-only\"}"), (stopped.Status, stopped.Body.Trim()));

        Assert.Equal(0, (await _d.DockerAsync("run", "-d", "--name", "ro-running", "--read-only", "--tmpfs", "/scratch", "--network", "none", "busybox", "sleep", "300")).ExitCode);
        await WaitForPathAsync("ro-running", "/scratch");
        var running = await PutAsync("ro-running", "/tmp", Tar((TarEntryType.RegularFile, "x", "x")));
        Assert.Equal(HttpStatusCode.Forbidden, running.Status);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync("ro-running", "/scratch", Tar((TarEntryType.RegularFile, "x", "in tmpfs")))).Status);
        Assert.Equal("in tmpfs", (await GetAsync("ro-running", "/scratch/x")).Entries["x"]);
    }

    [Fact]
    public async Task CopyUidGidGivesFilesToTheContainersUser()
    {
        Assert.Equal(0, (await _d.DockerAsync("create", "--name", "as-nobody", "-u", "nobody", "--network", "none", "busybox", "true")).ExitCode);
        var tar = Tars.Build(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "owned.txt") { Uid = 1234, Gid = 5678, Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream("x"u8.ToArray()) }));
        Assert.Equal(HttpStatusCode.OK, (await PutAsync("as-nobody", "/tmp", tar)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PutAsync("as-nobody", "/", tar, "&copyUIDGID=1")).Status);
        using var keep = await _d.Client.GetAsync("/containers/as-nobody/archive?path=/tmp/owned.txt");
        using var owned = await _d.Client.GetAsync("/containers/as-nobody/archive?path=/owned.txt");
        static (int, int) Owner(byte[] bytes)
        {
            using var reader = new TarReader(new MemoryStream(bytes));
            var e = reader.GetNextEntry()!;
            return (e.Uid, e.Gid);
        }

        Assert.Equal((1234, 5678), Owner(await keep.Content.ReadAsByteArrayAsync()));
        Assert.Equal((65534, 65534), Owner(await owned.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task StatHeaderHasDockersShape()
    {
        var c = await RunHostileAsync("shape", keepRunning: true);
        var (_, _, stat, _) = await GetAsync(c, "/d");
        var golden = File.ReadAllLines(Repo.Golden("files/head-dir.txt")).Single(l => l.StartsWith("# decoded: ", StringComparison.Ordinal))["# decoded: ".Length..];
        var expected = JsonNode.Parse(golden)!.AsObject();
        Assert.Equal(expected.Select(kv => kv.Key), stat!.AsObject().Select(kv => kv.Key));
        Assert.Equal("d", stat["name"]!.GetValue<string>());
        Assert.Equal(expected["mode"]!.GetValue<uint>(), stat["mode"]!.GetValue<uint>());
        Assert.EndsWith("Z", stat["mtime"]!.GetValue<string>(), StringComparison.Ordinal);

        var (_, dotEntries, dotStat, _) = await GetAsync(c, "/d/.");
        Assert.Equal(".", dotStat!["name"]!.GetValue<string>());
        Assert.Equal(["./", "./f.txt"], dotEntries.Keys.Order(StringComparer.Ordinal));
    }
}
