using System.Text.Json;
using System.Text.Json.Nodes;
using Wharf.Api;
using Wharf.Core.Build;

namespace Wharf.Api.Server.Tests;

/// <summary>POST /build's progress messages against dockerd 20.10's recording of ADD &lt;URL&gt;: same keys, order and values.</summary>
public sealed class BuildMessageTests
{
    private static string Wire(BuildOutput o) => JsonNode.Parse(JsonSerializer.Serialize(BuildEndpoints.ToMessage(o), ApiJsonContext.Wire.BuildMessage))!.ToJsonString();

    private static List<string> Golden()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "tests", "golden", "dockerd-20.10", "build-gaps", "add-url.txt");
            if (File.Exists(file))
            {
                return [.. File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.ToJsonString())];
            }
        }

        throw new FileNotFoundException("add-url.txt");
    }

    [Fact]
    public void DownloadProgressHasDockerdsShape()
    {
        var golden = Golden();
        Assert.Equal(golden[5], Wire(new BuildOutput(null) { Status = "Downloading", Current = 32768, Total = 3145728 }));
        Assert.Equal(golden[6], Wire(new BuildOutput(null) { Status = "Downloading", Current = 3145728, Total = 3145728 }));
        Assert.Equal(golden[7], Wire(new BuildOutput("\n")));
        Assert.Equal(golden[9], Wire(new BuildOutput(null, JsonNode.Parse(golden[9])!["aux"]!["ID"]!.GetValue<string>())));
    }

    [Fact]
    public void AnUnknownLengthShowsTheBytesOnly()
    {
        var m = JsonNode.Parse(Wire(new BuildOutput(null) { Status = "Downloading", Current = 1500, Total = -1 }))!;
        Assert.Equal("1.5kB", m["progress"]!.GetValue<string>());
        Assert.Null(m["progressDetail"]!["total"]);
    }
}
