using System.Text;

namespace Wharf.Client;

/// <summary>Builds a URL query string; values are percent-encoded, keys kept in insertion order.</summary>
public sealed class QueryBuilder
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    public QueryBuilder Add(string key, string? value)
    {
        if (value is not null)
        {
            _items.Add(new(key, value));
        }
        return this;
    }

    public QueryBuilder AddIf(bool condition, string key, string value) => condition ? Add(key, value) : this;

    public bool IsEmpty => _items.Count == 0;

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in _items)
        {
            sb.Append(sb.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(k)).Append('=').Append(Uri.EscapeDataString(v));
        }
        return sb.ToString();
    }
}
