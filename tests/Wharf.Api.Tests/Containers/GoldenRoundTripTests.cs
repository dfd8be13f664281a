using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Wharf.Api.Common;
using Wharf.Api.Containers;

namespace Wharf.Api.Tests.Containers;

/// <summary>
/// Every JSON file recorded from dockerd 20.10 by scripts/record-golden-containers.sh is read into
/// its Wharf type and written back; every key dockerd sent must survive with its value, null stays
/// null, and for responses no key may be added.
/// </summary>
public sealed class GoldenRoundTripTests
{
    private static readonly ContainerJsonContext Ctx = ContainerJsonContext.Wire;

    /// <summary>
    /// File name pattern, how to round-trip it, and whether added keys count (responses: yes;
    /// request bodies: no, because a request type writes every field it has a default for).
    /// </summary>
    private static readonly (Regex Pattern, Func<JsonNode?, JsonNode?> RoundTrip, bool Strict)[] Map =
    [
        (new("^container-create-full-request\\.json$"), n => Trip(n, Ctx.ContainerCreateRequest), false),
        (new("^cli-create-request\\.json$"), n => Trip(n, Ctx.ContainerCreateRequest), true),
        (new("^container-create-.*-response\\.json$"), n => Trip(n, Ctx.ContainerCreateResponse), true),
        (new("^container-inspect-.*\\.json$"), n => Trip(n, Ctx.ContainerInspect), true),
        (new("^containers-json.*\\.json$"), n => Trip(n, Ctx.ListContainerSummary), true),
        (new("^container-wait.*\\.json$"), n => Trip(n, Ctx.ContainerWaitResponse), true),
        (new("^container-top.*\\.json$"), n => Trip(n, Ctx.ContainerTopResponse), true),
        (new("^container-stats.*\\.json$"), n => Trip(n, Ctx.ContainerStats), true),
        (new("^container-changes.*\\.json$"), n => Trip(n, Ctx.ListContainerChange), true),
        (new("^container-update-response\\.json$"), n => Trip(n, Ctx.ContainerUpdateResponse), true),
        (new("^containers-prune.*\\.json$"), n => Trip(n, Ctx.ContainersPruneResponse), true),
        (new("^exec-create-request\\.json$"), n => Trip(n, Ctx.ExecCreateRequest), false),
        (new("^exec-create-response\\.json$"), n => Trip(n, Ctx.ExecCreateResponse), true),
        (new("^exec-inspect-.*\\.json$"), n => Trip(n, Ctx.ExecInspect), true),
    ];

    /// <summary>
    /// Deliberate differences, by file. Only request bodies written by hand for the recording
    /// have any: Docker's own Go types would not send these keys either.
    /// </summary>
    private static readonly Dictionary<string, string[]> Deliberate = new()
    {
        // The script sends "StartPeriod": 0; Go's HealthConfig (and Wharf.Oci.Image.HealthConfig)
        // omit zero durations, and dockerd drops it too (see container-inspect-*.json).
        ["container-create-full-request.json"] = ["$.Healthcheck.StartPeriod: missing"],
    };

    /// <summary>Golden JSON files that are not one wire type (excerpts made by the script).</summary>
    private static readonly HashSet<string> NotWireTypes = ["info-counts.json", "info-counts-after-prune.json"];

    public static TheoryData<string> JsonFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Golden.ContainersDir, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(f);
            if (!NotWireTypes.Contains(name) && !name.StartsWith("system-df", StringComparison.Ordinal)) data.Add(name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(JsonFiles))]
    public void Golden_file_survives_a_round_trip(string name)
    {
        var matches = Map.Where(m => m.Pattern.IsMatch(name)).ToList();
        Assert.True(matches.Count == 1, $"{name}: {matches.Count} types map to this golden file; add it to the map");
        var (_, roundTrip, strict) = matches[0];

        var expected = JsonNode.Parse(Golden.Read(name));
        var actual = roundTrip(expected);

        var diffs = JsonShape.Compare(expected, actual, strict);
        Assert.Equal(Deliberate.GetValueOrDefault(name, []), diffs);
    }

    [Theory]
    [InlineData("system-df.json")]
    [InlineData("system-df-exited.json")]
    public void System_df_containers_are_container_summaries(string name)
    {
        var expected = JsonNode.Parse(Golden.Read(name))!["Containers"];
        Assert.NotNull(expected);
        Assert.NotEmpty(expected.AsArray());

        var actual = Trip(expected, Ctx.ListContainerSummary);

        Assert.Empty(JsonShape.Compare(expected, actual, strict: true));
    }

    public static TheoryData<string> ErrorFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(Golden.ContainersDir, "errors"), "*.txt").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(ErrorFiles))]
    public void Error_body_is_an_error_response(string name)
    {
        var text = File.ReadAllText(Path.Combine(Golden.ContainersDir, "errors", name));
        var status = int.Parse(text.Split(' ', 3)[1], global::System.Globalization.CultureInfo.InvariantCulture);
        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..].Trim();
        if (status == 304)
        {
            Assert.Equal("", body);
            return;
        }
        Assert.InRange(status, 400, 599);
        var expected = JsonNode.Parse(body);
        var actual = Trip(expected, ApiJsonContext.Wire.ErrorResponse);
        Assert.Empty(JsonShape.Compare(expected, actual, strict: true));
        Assert.False(string.IsNullOrEmpty(JsonSerializer.Deserialize(body, ApiJsonContext.Wire.ErrorResponse)!.Message));
    }

    private static JsonNode? Trip<T>(JsonNode? node, JsonTypeInfo<T> type)
    {
        var value = JsonSerializer.Deserialize(node?.ToJsonString() ?? "null", type);
        return JsonNode.Parse(JsonSerializer.Serialize(value!, type));
    }
}
