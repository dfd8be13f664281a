using System.Text.RegularExpressions;

namespace Wharf.Oci.References;

/// <summary>
/// The pieces of distribution/reference's grammar, each anchored and used only as a yes/no test:
/// the parser splits a reference into domain, path, tag and digest by hand (the split is
/// unambiguous because tags and domains cannot contain '/' and nothing but the digest contains
/// '@'), so no capture semantics of .NET versus Go regular expressions can differ. Patterns use
/// explicit ASCII classes because .NET's \w and \d are Unicode-aware, and \z because .NET's $
/// also matches before a trailing newline. NonBacktracking keeps adversarial input linear.
/// </summary>
internal static partial class ReferenceGrammar
{
    // alpha-numeric ( separator alpha-numeric )*, separator := [._] | __ | -+
    private const string PathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";

    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";

    [GeneratedRegex(
        "^" + PathComponent + "(?:/" + PathComponent + ")*\\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    internal static partial Regex RemoteName();

    // host [":" port]; host is a domain name (which includes dotted IPv4) or a bracketed IPv6.
    [GeneratedRegex(
        "^(?:" + DomainComponent + "(?:\\." + DomainComponent + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?\\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    internal static partial Regex DomainAndPort();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    internal static partial Regex Tag();

    // The digest shape a reference accepts; go-digest then judges algorithm and length.
    [GeneratedRegex(
        "^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}\\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    internal static partial Regex ReferenceDigest();

    // go-digest's DigestRegexpAnchored: decides "unsupported algorithm" versus "invalid format".
    [GeneratedRegex(
        "^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+\\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    internal static partial Regex GoDigest();
}
