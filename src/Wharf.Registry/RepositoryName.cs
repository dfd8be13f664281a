using System.Text.RegularExpressions;

namespace Wharf.Registry;

/// <summary>
/// Repository names as the distribution spec defines them:
/// <c>[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*</c>.
/// Every component starts with a letter or digit, so a valid name can never hold "..", an
/// empty component, or the storage's own "_"-prefixed folders: it is safe as a relative path.
/// </summary>
internal static partial class RepositoryName
{
    /// <summary>Docker distribution's limit on a whole name.</summary>
    public const int MaxLength = 255;

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    public static bool IsValid(string name) => name.Length is > 0 and <= MaxLength && NamePattern().IsMatch(name);

    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);
}
