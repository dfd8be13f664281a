using System.Text.Json.Nodes;

namespace Wharf.Engine.Tests.Resources;

/// <summary>The dockerd recordings of tests/golden/dockerd-20.10/stats (scripts/record-golden-stats.sh).</summary>
internal static class StatsGolden
{
    private static readonly string Dir = Find(Path.Combine("tests", "golden", "dockerd-20.10", "stats"));

    /// <summary>Status code and message of a recorded error response (errors/NAME.txt).</summary>
    public static (int Status, string Message) Error(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(Dir, "errors", name + ".txt"));
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = lines.Last(l => l.StartsWith('{'));
        var o = JsonNode.Parse(body)!.AsObject();
        return (status, o["message"]?.GetValue<string>() ?? o["Warnings"]?.ToJsonString() ?? "");
    }

    private static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(relative);
    }
}
