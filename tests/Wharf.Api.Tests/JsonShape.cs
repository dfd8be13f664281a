using System.Text.Json.Nodes;

namespace Wharf.Api.Tests;

/// <summary>
/// Compares the shape of two JSON documents the way a Docker client sees it: every key of the
/// expected document must be present in the actual one, null must stay null (and non-null stay
/// non-null), kinds and scalar values must match, arrays keep their length. Key order is ignored.
/// </summary>
internal static class JsonShape
{
    /// <summary>Differences as "path: what", empty when the shapes match.</summary>
    /// <param name="strict">Also report keys the actual document adds.</param>
    public static List<string> Compare(JsonNode? expected, JsonNode? actual, bool strict)
    {
        var diffs = new List<string>();
        Walk(expected, actual, "$", strict, diffs);
        return diffs;
    }

    private static void Walk(JsonNode? e, JsonNode? a, string path, bool strict, List<string> diffs)
    {
        if (e is null || a is null)
        {
            if (e is null && a is not null) diffs.Add($"{path}: null became {Kind(a)}");
            else if (e is not null && a is null) diffs.Add($"{path}: {Kind(e)} became null");
            return;
        }
        if (Kind(e) != Kind(a))
        {
            diffs.Add($"{path}: {Kind(e)} became {Kind(a)}");
            return;
        }
        switch (e)
        {
            case JsonObject eo:
                var ao = a.AsObject();
                foreach (var (key, ev) in eo)
                {
                    if (!ao.TryGetPropertyValue(key, out var av)) diffs.Add($"{path}.{key}: missing");
                    else Walk(ev, av, $"{path}.{key}", strict, diffs);
                }
                if (strict)
                {
                    foreach (var (key, _) in ao)
                    {
                        if (!eo.ContainsKey(key)) diffs.Add($"{path}.{key}: added");
                    }
                }
                break;
            case JsonArray ea:
                var aa = a.AsArray();
                if (ea.Count != aa.Count)
                {
                    diffs.Add($"{path}: array of {ea.Count} became {aa.Count}");
                    break;
                }
                for (var i = 0; i < ea.Count; i++) Walk(ea[i], aa[i], $"{path}[{i}]", strict, diffs);
                break;
            default:
                if (!JsonNode.DeepEquals(e, a)) diffs.Add($"{path}: {e.ToJsonString()} became {a.ToJsonString()}");
                break;
        }
    }

    private static string Kind(JsonNode n) => n switch
    {
        JsonObject => "object",
        JsonArray => "array",
        _ => n.GetValueKind().ToString(),
    };
}
