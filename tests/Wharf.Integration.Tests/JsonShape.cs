using System.Text.Json.Nodes;

namespace Wharf.Integration.Tests;

/// <summary>
/// Compares the shape of two JSON documents (keys and value kinds, not values). Arrays are
/// compared by their first element. A null on either side matches anything, because Docker
/// writes null for empty lists and maps in many places.
/// </summary>
internal static class JsonShape
{
    public static List<string> Differences(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        var diffs = new List<string>();
        if (expected is null || actual is null)
        {
            return diffs;
        }

        switch (expected)
        {
            case JsonObject eo when actual is JsonObject ao:
                foreach (var (k, v) in eo)
                {
                    if (!ao.ContainsKey(k))
                    {
                        diffs.Add($"{path}.{k}: missing");
                    }
                    else
                    {
                        diffs.AddRange(Differences(v, ao[k], $"{path}.{k}"));
                    }
                }

                foreach (var (k, _) in ao)
                {
                    if (!eo.ContainsKey(k))
                    {
                        diffs.Add($"{path}.{k}: unexpected");
                    }
                }

                break;
            case JsonArray ea when actual is JsonArray aa:
                if (ea.Count > 0 && aa.Count > 0)
                {
                    diffs.AddRange(Differences(ea[0], aa[0], path + "[0]"));
                }

                break;
            case JsonValue ev when actual is JsonValue av:
                if (ev.GetValueKind() != av.GetValueKind() && !(IsBool(ev) && IsBool(av)))
                {
                    diffs.Add($"{path}: {ev.GetValueKind()} expected, got {av.GetValueKind()}");
                }

                break;
            default:
                diffs.Add($"{path}: {expected.GetValueKind()} expected, got {actual.GetValueKind()}");
                break;
        }

        return diffs;
    }

    private static bool IsBool(JsonValue v) => v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False;
}
