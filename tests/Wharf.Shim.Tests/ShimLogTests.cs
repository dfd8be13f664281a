using System.Text.RegularExpressions;

namespace Wharf.Shim.Tests;

[Collection(ShimCollection.Name)]
public sealed partial class ShimLogTests
{
    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")]
    private static partial Regex Rfc3339Nano();

    [Fact]
    public async Task OutputLandsInJsonFileLogWithStreamsAndDockerEscaping()
    {
        const string script = """
            echo hello
            printf 'q"b\\s<&>\ttab\001\n' >&2
            printf '\377ok \303\251\n'
            printf 'no newline'
            """;
        await using var c = await TestContainer.CreateAsync(["sh", "-c", script]);
        await c.CreateAsync("--log", c.LogPath);
        await c.StartAsync();
        var exit = await c.WaitExitAsync();
        Assert.Equal(0, exit.GetProperty("exitCode").GetInt32());

        var entries = TestContainer.ReadLog(c.LogPath);
        var stdout = entries.Where(e => e.Stream == "stdout").Select(e => e.Log).ToList();
        var stderr = entries.Where(e => e.Stream == "stderr").Select(e => e.Log).ToList();
        Assert.Equal(["hello\n", "\uFFFDok \u00e9\n", "no newline"], stdout);
        Assert.Equal(["q\"b\\s<&>\ttab\u0001\n"], stderr);
        Assert.All(entries, e => Assert.Matches(Rfc3339Nano(), e.Time));

        // Byte-level escaping as Docker's json-file driver writes it.
        var raw = File.ReadAllText(c.LogPath);
        Assert.Contains(@"""log"":""q\""b\\s\u003c\u0026\u003e\u0009tab\u0001\n""", raw, StringComparison.Ordinal);
        Assert.Contains(@"""log"":""\ufffdok é\n""", raw, StringComparison.Ordinal);
        Assert.All(File.ReadAllLines(c.LogPath), l => Assert.StartsWith(@"{""log"":", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PartialLineIsLoggedWhileTheContainerStillRuns()
    {
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "printf 'prompt> '; sleep 100"]);
        await c.CreateAsync("--log", c.LogPath);
        await c.StartAsync();
        await TestContainer.WaitUntilAsync(() => new FileInfo(c.LogPath).Length > 0, TimeSpan.FromSeconds(10), "partial line in the log");
        Assert.Equal([new LogEntry("prompt> ", "stdout", TestContainer.ReadLog(c.LogPath)[0].Time)], TestContainer.ReadLog(c.LogPath));
        Assert.False(File.Exists(Path.Combine(c.State, "exit")));
    }

    [Fact]
    public async Task LongLinesAreSplitAt16KiBLikeDocker()
    {
        await using var c = await TestContainer.CreateAsync(["sh", "-c", "head -c 40000 /dev/zero | tr '\\0' x; echo"]);
        await c.CreateAsync("--log", c.LogPath);
        await c.StartAsync();
        await c.WaitExitAsync();
        var logs = TestContainer.ReadLog(c.LogPath).Select(e => e.Log).ToList();
        Assert.Equal([16384, 16384, 40001 - 32768], logs.Select(l => l.Length));
        Assert.EndsWith("\n", logs[^1], StringComparison.Ordinal);
        Assert.Equal(new string('x', 40000) + "\n", string.Concat(logs));
    }

    [Fact]
    public async Task LogRotatesAtMaxSizeAndKeepsMaxFiles()
    {
        const string script = "i=0; while [ $i -lt 3000 ]; do echo \"line $i padding padding padding\"; i=$((i+1)); done";
        await using var c = await TestContainer.CreateAsync(["sh", "-c", script]);
        await c.CreateAsync("--log", c.LogPath, "--log-max-size", "4096", "--log-max-files", "3");
        await c.StartAsync();
        await c.WaitExitAsync();

        Assert.True(File.Exists(c.LogPath + ".1"));
        Assert.True(File.Exists(c.LogPath + ".2"));
        Assert.False(File.Exists(c.LogPath + ".3"));
        foreach (var f in new[] { c.LogPath, c.LogPath + ".1", c.LogPath + ".2" })
        {
            Assert.InRange(new FileInfo(f).Length, 1, 4096);
            Assert.NotEmpty(TestContainer.ReadLog(f));
        }

        // The newest lines are in the live file, older ones in .1 then .2, without gaps.
        var lines = new[] { c.LogPath + ".2", c.LogPath + ".1", c.LogPath }
            .SelectMany(TestContainer.ReadLog).Select(e => e.Log).ToList();
        Assert.Equal("line 2999 padding padding padding\n", lines[^1]);
        var first = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(first, 3000 - first).Select(i => $"line {i} padding padding padding\n"), lines);
    }
}
