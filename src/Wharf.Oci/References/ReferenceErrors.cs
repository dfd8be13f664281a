namespace Wharf.Oci.References;

/// <summary>
/// The error texts of distribution/reference (v0.6) and go-digest, verbatim: the docker CLI prints
/// them as they are and scripts grep for them.
/// </summary>
public static class ReferenceErrors
{
    public const string InvalidFormat = "invalid reference format";
    public const string InvalidTagFormat = "invalid tag format";
    public const string InvalidDigestFormat = "invalid digest format";
    public const string NameContainsUppercase = "repository name must be lowercase";
    public const string NameEmpty = "repository name must have at least one component";
    public const string NameTooLong = "repository name must not be more than 255 characters";
    public const string NameNotCanonical = "repository name must be canonical";

    // go-digest's errors, surfaced when the "@digest" part has the right shape but is not usable.
    public const string DigestInvalidChecksumFormat = "invalid checksum digest format";
    public const string DigestInvalidChecksumLength = "invalid checksum digest length";
    public const string DigestUnsupported = "unsupported digest algorithm";

    public static string NameMustBeLowercase(string remoteName)
        => $"invalid reference format: repository name ({remoteName}) must be lowercase";

    public static string HexIdAsName(string value)
        => $"invalid repository name ({value}), cannot specify 64-byte hexadecimal strings";
}
