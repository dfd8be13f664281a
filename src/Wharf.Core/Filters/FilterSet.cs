using System.Text.Json;
using Wharf.Core.Errors;

namespace Wharf.Core.Filters;

/// <summary>
/// Docker's <c>filters</c> query argument: a JSON object of key to values. Clients send either
/// the current form <c>{"k":["v"]}</c> or the pre-1.22 form <c>{"k":{"v":true}}</c>; both are
/// accepted. Keys are validated against what each endpoint supports.
/// </summary>
public sealed class FilterSet
{
    private readonly Dictionary<string, List<string>> _values;

    private FilterSet(Dictionary<string, List<string>> values) => _values = values;

    public static FilterSet Empty { get; } = new(new Dictionary<string, List<string>>(StringComparer.Ordinal));

    public IEnumerable<string> Keys => _values.Keys;

    public bool Contains(string key) => _values.ContainsKey(key);

    public IReadOnlyList<string> Get(string key) => _values.TryGetValue(key, out var v) ? v : [];

    public static FilterSet Of(params (string Key, string Value)[] pairs)
    {
        var d = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs)
        {
            if (!d.TryGetValue(k, out var list))
            {
                d[k] = list = [];
            }

            list.Add(v);
        }

        return new FilterSet(d);
    }

    public static FilterSet Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return Empty;
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw WharfException.Invalid("invalid filter: " + e.Message, e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw WharfException.Invalid("invalid filter: expected a JSON object");
            }

            var d = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                var list = new List<string>();
                switch (prop.Value.ValueKind)
                {
                    case JsonValueKind.Array:
                        foreach (var item in prop.Value.EnumerateArray())
                        {
                            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw WharfException.Invalid($"invalid filter '{prop.Name}'"));
                        }

                        break;
                    case JsonValueKind.Object:
                        foreach (var item in prop.Value.EnumerateObject())
                        {
                            if (item.Value.ValueKind == JsonValueKind.True)
                            {
                                list.Add(item.Name);
                            }
                        }

                        break;
                    default:
                        throw WharfException.Invalid($"invalid filter '{prop.Name}'");
                }

                d[prop.Name] = list;
            }

            return new FilterSet(d);
        }
    }

    /// <summary>Fails with Docker's message when a key is not one the endpoint knows.</summary>
    public void Validate(params string[] accepted)
    {
        foreach (var key in _values.Keys)
        {
            if (Array.IndexOf(accepted, key) < 0)
            {
                throw WharfException.Invalid($"invalid filter '{key}'");
            }
        }
    }

    /// <summary>
    /// Docker's boolean filter values: "true"/"1" and "false"/"0"; anything else is an error.
    /// Returns null when the key is absent.
    /// </summary>
    public bool? GetBool(string key)
    {
        var values = Get(key);
        if (values.Count == 0)
        {
            return null;
        }

        bool? result = null;
        foreach (var v in values)
        {
            var b = v.ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => throw WharfException.Invalid($"Invalid filter '{key}={v}'"),
            };
            result = (result ?? b) || b;
        }

        return result;
    }

    /// <summary>
    /// Docker's label filter semantics: every value must match; a value "k" needs the key, "k=v"
    /// needs the exact value.
    /// </summary>
    public bool MatchLabels(string key, IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var want in Get(key))
        {
            var eq = want.IndexOf('=', StringComparison.Ordinal);
            var k = eq < 0 ? want : want[..eq];
            if (labels is null || !labels.TryGetValue(k, out var have))
            {
                return false;
            }

            if (eq >= 0 && have != want[(eq + 1)..])
            {
                return false;
            }
        }

        return true;
    }
}
