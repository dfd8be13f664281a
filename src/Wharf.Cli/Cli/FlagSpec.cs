namespace Wharf.Cli.Cli;

/// <summary>A command-line flag. <paramref name="TypeName"/> is what help shows after the name
/// ("string", "filter", "list"); <paramref name="Default"/> is a non-zero default shown as "(default ...)".</summary>
internal sealed record FlagSpec(string Long, char? Short, FlagKind Kind, string Usage, string TypeName = "", string? Default = null, bool Hidden = false)
{
    public static FlagSpec Bool(string longName, char? shortName, string usage, bool defaultValue = false) =>
        new(longName, shortName, FlagKind.Bool, usage, "", defaultValue ? "true" : null);

    public static FlagSpec String(string longName, char? shortName, string usage, string typeName = "string", string? defaultValue = null) =>
        new(longName, shortName, FlagKind.String, usage, typeName, defaultValue);

    public static FlagSpec List(string longName, char? shortName, string usage, string typeName = "list") =>
        new(longName, shortName, FlagKind.List, usage, typeName);

    /// <summary>How errors name the flag: "-a, --all" or "--digests".</summary>
    public string DisplayName => Short is { } s ? $"-{s}, --{Long}" : "--" + Long;
}
