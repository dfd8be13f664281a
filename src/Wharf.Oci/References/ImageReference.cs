using System.Diagnostics.CodeAnalysis;

namespace Wharf.Oci.References;

/// <summary>
/// A named image reference (<c>[domain/]path[:tag][@digest]</c>) with the semantics of Docker's
/// distribution/reference library (v0.6, as vendored by docker 28): the same grammar, the same
/// normalisation of familiar names (<c>busybox</c> → <c>docker.io/library/busybox</c>), the same
/// familiar forms that <c>docker images</c> prints, and the same error texts.
/// Immutable; equality is ordinal on the full string.
/// </summary>
/// <remarks>
/// Deliberate differences from the Go library: a digest must be one <see cref="Oci.Digest"/>
/// accepts (sha256 or sha512), so a well-formed sha384 digest is refused with
/// "unsupported digest algorithm" where Go accepts it; and the 255-character limit applies to the
/// path as in v0.6 (docker 20.10's vendored v2.7 counted the domain too).
/// </remarks>
public sealed partial class ImageReference : IEquatable<ImageReference>
{
    /// <summary>The registry domain that familiar names without one refer to (Docker Hub).</summary>
    public const string DefaultDomain = "docker.io";

    /// <summary>The tag a name-only reference means (<c>TagNameOnly</c>).</summary>
    public const string DefaultTag = "latest";

    /// <summary>Longest path Docker accepts (RepositoryNameTotalLengthMax).</summary>
    public const int MaxPathLength = 255;

    // Docker Hub's pre-v2 name; normalised to DefaultDomain on parse.
    private const string LegacyDefaultDomain = "index.docker.io";
    private const string OfficialRepoPrefix = "library/";
    private const string Localhost = "localhost";

    private ImageReference(string domain, string path, string? tag, Digest? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>
    /// The registry host (and port), e.g. <c>docker.io</c>, <c>localhost:5000</c>. Empty only when
    /// the raw <see cref="Parse"/> saw no domain-shaped first component.
    /// </summary>
    public string Domain { get; }

    /// <summary>The repository path within the registry, e.g. <c>library/busybox</c>.</summary>
    public string Path { get; }

    /// <summary>The tag, or null when the reference has none (see <see cref="WithDefaultTag"/>).</summary>
    public string? Tag { get; }

    /// <summary>The pinned manifest digest, or null.</summary>
    public Digest? Digest { get; }

    /// <summary>The full repository name, e.g. <c>docker.io/library/busybox</c>.</summary>
    public string Name => Domain.Length == 0 ? Path : Domain + "/" + Path;

    /// <summary>True when there is neither a tag nor a digest.</summary>
    public bool IsNameOnly => Tag is null && Digest is null;

    /// <summary>
    /// The repository as <c>docker images</c> shows it: <c>busybox</c>, <c>user/app</c>,
    /// <c>localhost:5000/app</c>. Docker Hub's domain is dropped, and <c>library/</c> too when
    /// nothing nested follows it.
    /// </summary>
    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain)
            {
                return Name;
            }

            if (Path.StartsWith(OfficialRepoPrefix, StringComparison.Ordinal))
            {
                var rest = Path[OfficialRepoPrefix.Length..];
                if (!rest.Contains('/', StringComparison.Ordinal))
                {
                    return rest;
                }
            }

            return Path;
        }
    }

    /// <summary><see cref="FamiliarName"/> plus <c>:tag</c> and <c>@digest</c> when present.</summary>
    public string FamiliarString => Suffixed(FamiliarName);

    /// <summary>The full form, e.g. <c>docker.io/library/busybox:latest</c>.</summary>
    public override string ToString() => Suffixed(Name);

    /// <summary>
    /// Parses a reference as the docker CLI and daemon take it from users
    /// (<c>ParseNormalizedNamed</c>): familiar names are expanded, <c>index.docker.io</c> becomes
    /// <c>docker.io</c>. No default tag is added; use <see cref="WithDefaultTag"/>.
    /// </summary>
    /// <exception cref="InvalidReferenceException">With Docker's error text.</exception>
    public static ImageReference ParseNormalizedNamed(string value)
        => TryParseNormalizedNamed(value, out var r, out var error) ? r : throw new InvalidReferenceException(error);

    public static bool TryParseNormalizedNamed(
        string? value,
        [NotNullWhen(true)] out ImageReference? reference,
        [NotNullWhen(false)] out string? error)
    {
        reference = null;
        value ??= string.Empty;
        if (IsFullHexId(value))
        {
            error = ReferenceErrors.HexIdAsName(value);
            return false;
        }

        var (domain, remainder) = SplitDockerDomain(value);
        var colon = remainder.IndexOf(':', StringComparison.Ordinal);
        var remote = colon >= 0 ? remainder[..colon] : remainder;

        // Checked before the grammar so the message can name the offending part, as Docker's does.
        if (!string.Equals(remote.ToLowerInvariant(), remote, StringComparison.Ordinal))
        {
            error = ReferenceErrors.NameMustBeLowercase(remote);
            return false;
        }

        return TryParse(domain + "/" + remainder, out reference, out error);
    }

    /// <summary>
    /// Parses the way the daemon stores references (<c>ParseDockerRef</c>): normalised, a
    /// reference with both tag and digest keeps only the digest, and a bare name gets <c>latest</c>.
    /// </summary>
    public static ImageReference ParseDockerRef(string value)
    {
        var r = ParseNormalizedNamed(value);
        return r.Tag is not null && r.Digest is { } d ? new ImageReference(r.Domain, r.Path, null, d) : r.WithDefaultTag();
    }

    /// <summary>
    /// Parses a reference that must already be in full canonical form (<c>ParseNamed</c>), e.g.
    /// <c>docker.io/library/busybox:latest</c>; <c>busybox</c> is refused.
    /// </summary>
    public static ImageReference ParseNamed(string value)
    {
        var r = ParseNormalizedNamed(value);
        return string.Equals(r.ToString(), value, StringComparison.Ordinal)
            ? r
            : throw new InvalidReferenceException(ReferenceErrors.NameNotCanonical);
    }

    /// <summary>
    /// Parses with the raw grammar and no normalisation (the Go library's <c>Parse</c>):
    /// <c>busybox</c> stays domain-less. Used for strings that must be taken literally.
    /// </summary>
    public static ImageReference Parse(string value)
        => TryParse(value, out var r, out var error) ? r : throw new InvalidReferenceException(error);

    public static bool TryParse(
        string? value,
        [NotNullWhen(true)] out ImageReference? reference,
        [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (string.IsNullOrEmpty(value))
        {
            error = ReferenceErrors.NameEmpty;
            return false;
        }

        if (!TrySplit(value, out var domain, out var path, out var tag, out var digestText))
        {
            var lower = value.ToLowerInvariant();
            error = !string.Equals(lower, value, StringComparison.Ordinal) && TrySplit(lower, out _, out _, out _, out _)
                ? ReferenceErrors.NameContainsUppercase
                : ReferenceErrors.InvalidFormat;
            return false;
        }

        if (path.Length > MaxPathLength)
        {
            error = ReferenceErrors.NameTooLong;
            return false;
        }

        Digest? digest = null;
        if (digestText is not null)
        {
            if (!TryParseDigest(digestText, out var d, out error))
            {
                return false;
            }

            digest = d;
        }

        reference = new ImageReference(domain, path, tag, digest);
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="tag"/> matches Docker's tag grammar <c>[\w][\w.-]{0,127}</c> (ASCII).</summary>
    public static bool IsValidTag(string? tag) => tag is not null && ReferenceGrammar.Tag().IsMatch(tag);

    /// <summary>Adds <c>latest</c> when there is neither tag nor digest (<c>TagNameOnly</c>).</summary>
    public ImageReference WithDefaultTag() => IsNameOnly ? new ImageReference(Domain, Path, DefaultTag, null) : this;

    /// <summary>The same repository with <paramref name="tag"/>; an existing digest is kept, as Go's WithTag does.</summary>
    /// <exception cref="InvalidReferenceException">"invalid tag format".</exception>
    public ImageReference WithTag(string tag)
        => IsValidTag(tag)
            ? new ImageReference(Domain, Path, tag, Digest)
            : throw new InvalidReferenceException(ReferenceErrors.InvalidTagFormat);

    /// <summary>The same repository pinned to <paramref name="digest"/>; an existing tag is kept.</summary>
    public ImageReference WithDigest(Digest digest) => new(Domain, Path, Tag, digest);

    /// <summary>The repository alone, without tag or digest (<c>TrimNamed</c>).</summary>
    public ImageReference WithoutTagOrDigest() => IsNameOnly ? this : new ImageReference(Domain, Path, null, null);

    public bool Equals(ImageReference? other)
        => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ImageReference);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    public static bool operator ==(ImageReference? left, ImageReference? right)
        => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ImageReference? left, ImageReference? right) => !(left == right);

    private string Suffixed(string name)
    {
        var s = name;
        if (Tag is not null)
        {
            s += ":" + Tag;
        }

        if (Digest is { } d)
        {
            s += "@" + d.Value;
        }

        return s;
    }

    // splitDockerDomain: decides whether the first component names a registry. Only a component
    // with '.' or ':', "localhost", or one with upper case (never a valid namespace) is a domain;
    // otherwise the name lives on Docker Hub, where single names are official "library/" images.
    private static (string Domain, string Remainder) SplitDockerDomain(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            // A lone "localhost" or "example.com:5000" is a repository name (plus tag), not a host.
            return (DefaultDomain, OfficialRepoPrefix + name);
        }

        var first = name[..slash];
        var rest = name[(slash + 1)..];
        string domain, remainder;
        if (first == Localhost
            || first.AsSpan().IndexOfAny('.', ':') >= 0
            || !string.Equals(first.ToLowerInvariant(), first, StringComparison.Ordinal))
        {
            (domain, remainder) = (first, rest);
        }
        else
        {
            (domain, remainder) = (DefaultDomain, name);
        }

        if (domain == LegacyDefaultDomain)
        {
            domain = DefaultDomain;
        }

        if (domain == DefaultDomain && !remainder.Contains('/', StringComparison.Ordinal))
        {
            remainder = OfficialRepoPrefix + remainder;
        }

        return (domain, remainder);
    }

    // Splits name[:tag][@digest] by hand and checks each part against its grammar. The split is
    // the only one the Go regular expression can find: the first '@' starts the digest (nothing
    // else may contain '@'), and a ':' after the last '/' starts the tag (a port is always
    // followed by '/'); a first component that is a valid domain is taken as the domain, as the
    // greedy optional group in Go's anchoredNameRegexp does.
    private static bool TrySplit(string s, out string domain, out string path, out string? tag, out string? digest)
    {
        domain = string.Empty;
        path = string.Empty;
        tag = null;
        digest = null;

        var name = s;
        var at = s.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = s[(at + 1)..];
            name = s[..at];
            if (!ReferenceGrammar.ReferenceDigest().IsMatch(digest))
            {
                return false;
            }
        }

        var lastColon = name.LastIndexOf(':');
        if (lastColon > name.LastIndexOf('/'))
        {
            tag = name[(lastColon + 1)..];
            name = name[..lastColon];
            if (!ReferenceGrammar.Tag().IsMatch(tag))
            {
                return false;
            }
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && ReferenceGrammar.DomainAndPort().IsMatch(name.AsSpan(0, slash))
            && ReferenceGrammar.RemoteName().IsMatch(name.AsSpan(slash + 1)))
        {
            domain = name[..slash];
            path = name[(slash + 1)..];
            return true;
        }

        if (ReferenceGrammar.RemoteName().IsMatch(name))
        {
            path = name;
            return true;
        }

        return false;
    }

    // go-digest's Parse/Validate, in its order of checks, so the error text matches.
    private static bool TryParseDigest(string text, out Digest digest, [NotNullWhen(false)] out string? error)
    {
        digest = default;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon + 1 == text.Length)
        {
            error = ReferenceErrors.DigestInvalidChecksumFormat;
            return false;
        }

        var hexLength = text[..colon] switch
        {
            Oci.Digest.Sha256 => 64,
            "sha384" => 96,
            Oci.Digest.Sha512 => 128,
            _ => -1,
        };
        var hex = text.AsSpan(colon + 1);
        if (hexLength < 0)
        {
            error = ReferenceGrammar.GoDigest().IsMatch(text)
                ? ReferenceErrors.DigestUnsupported
                : ReferenceErrors.DigestInvalidChecksumFormat;
            return false;
        }

        if (hex.Length != hexLength)
        {
            error = ReferenceErrors.DigestInvalidChecksumLength;
            return false;
        }

        if (!Oci.Digest.IsLowerHex(hex))
        {
            error = ReferenceErrors.DigestInvalidChecksumFormat;
            return false;
        }

        // sha384 is valid to Go but Wharf stores and verifies only sha256 and sha512.
        if (!Oci.Digest.TryParse(text, out digest))
        {
            error = ReferenceErrors.DigestUnsupported;
            return false;
        }

        error = null;
        return true;
    }
}
