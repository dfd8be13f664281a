namespace Wharf.Cli.Cli;

/// <summary>Flag values after parsing, looked up by long name.</summary>
internal sealed class ParsedFlags
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FlagSpec> _specs;

    public ParsedFlags(IEnumerable<FlagSpec> specs) =>
        _specs = specs.ToDictionary(s => s.Long, StringComparer.Ordinal);

    public bool HelpRequested { get; set; }

    internal void Set(string name, string value)
    {
        if (!_values.TryGetValue(name, out var list))
        {
            list = [];
            _values[name] = list;
        }
        if (_specs[name].Kind != FlagKind.List)
        {
            list.Clear();
        }
        list.Add(value);
    }

    public bool Changed(string name) => _values.ContainsKey(name);

    public bool Bool(string name)
    {
        if (_values.TryGetValue(name, out var v))
        {
            return v[^1] == "true";
        }
        return _specs.TryGetValue(name, out var s) && s.Default == "true";
    }

    public string? String(string name) =>
        _values.TryGetValue(name, out var v) ? v[^1] : _specs.TryGetValue(name, out var s) ? s.Default : null;

    public IReadOnlyList<string> List(string name) => _values.TryGetValue(name, out var v) ? v : [];
}
