namespace Wharf.Registry.Auth;

/// <summary>
/// A requested scope, <c>type:name:actions</c> (e.g. <c>repository:a/b:pull,push</c>). The name
/// may itself hold a colon (a registry host with a port), so type is the text before the first
/// colon and actions the text after the last.
/// </summary>
internal sealed record Scope(string Type, string Name, IReadOnlyList<string> Actions)
{
    public static Scope? Parse(string text)
    {
        var first = text.IndexOf(':', StringComparison.Ordinal);
        var last = text.LastIndexOf(':');
        if (first <= 0 || last <= first)
        {
            return null;
        }
        var actions = text[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Scope(text[..first], text[(first + 1)..last], actions);
    }
}
