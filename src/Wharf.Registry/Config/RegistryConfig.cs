using System.Text.Json.Serialization;

namespace Wharf.Registry.Config;

/// <summary>
/// The registry's settings, from the command line or a config file (JSON or YAML, same names).
/// Plain settable properties because YamlDotNet fills them by reflection.
/// </summary>
public sealed class RegistryConfig
{
    /// <summary>host:port to listen on; 127.0.0.1:5000 by default.</summary>
    [JsonPropertyName("addr")]
    public string? Addr { get; set; }

    /// <summary>Storage root.</summary>
    [JsonPropertyName("root")]
    public string? Root { get; set; }

    /// <summary>"none", "basic" or "token"; basic when an htpasswd file is given, else none.</summary>
    [JsonPropertyName("auth")]
    public string? Auth { get; set; }

    /// <summary>An htpasswd file with bcrypt entries (user:$2y$...).</summary>
    [JsonPropertyName("htpasswd")]
    public string? Htpasswd { get; set; }

    [JsonPropertyName("tls_cert")]
    public string? TlsCert { get; set; }

    [JsonPropertyName("tls_key")]
    public string? TlsKey { get; set; }

    /// <summary>The token realm URL clients are sent to; by default this registry's own /token.</summary>
    [JsonPropertyName("realm")]
    public string? Realm { get; set; }

    /// <summary>The service name in bearer challenges and tokens.</summary>
    [JsonPropertyName("service")]
    public string? Service { get; set; }

    /// <summary>The issuer named in tokens.</summary>
    [JsonPropertyName("token_issuer")]
    public string? TokenIssuer { get; set; }

    /// <summary>A file with the secret tokens are signed with; a fresh random one per start when absent.</summary>
    [JsonPropertyName("token_key")]
    public string? TokenKey { get; set; }

    /// <summary>
    /// A PEM RSA private key: tokens are then RS256-signed with a <c>kid</c> (distribution's key ID
    /// of the public key), so any registry trusting the key can verify them; HS256 under
    /// <see cref="TokenKey"/> otherwise.
    /// </summary>
    [JsonPropertyName("token_signing_key")]
    public string? TokenSigningKey { get; set; }

    /// <summary>A JWK set file of further public keys whose RS256 tokens are accepted (an external issuer's).</summary>
    [JsonPropertyName("token_jwks")]
    public string? TokenJwks { get; set; }

    /// <summary>Who may do what; with no rules every authenticated account may pull and push everything.</summary>
    [JsonPropertyName("access")]
    public List<AccessRule>? Access { get; set; }

    /// <summary>"filesystem" (the default: under <see cref="Root"/>) or "s3" (an S3-compatible bucket).</summary>
    [JsonPropertyName("storage")]
    public string? Storage { get; set; }

    /// <summary>The S3 endpoint URL (http://host:port for MinIO and the like); AWS's regional endpoint when absent.</summary>
    [JsonPropertyName("s3_endpoint")]
    public string? S3Endpoint { get; set; }

    [JsonPropertyName("s3_bucket")]
    public string? S3Bucket { get; set; }

    /// <summary>The region requests are signed for; AWS_REGION, then us-east-1 when absent.</summary>
    [JsonPropertyName("s3_region")]
    public string? S3Region { get; set; }

    /// <summary>A key prefix under which everything is stored, so several registries can share a bucket.</summary>
    [JsonPropertyName("s3_prefix")]
    public string? S3Prefix { get; set; }

    /// <summary>Path-style URLs (endpoint/bucket/key) instead of bucket.endpoint/key; the default with an explicit endpoint.</summary>
    [JsonPropertyName("s3_path_style")]
    public bool? S3PathStyle { get; set; }

    /// <summary>The access key id; AWS_ACCESS_KEY_ID when absent.</summary>
    [JsonPropertyName("s3_access_key")]
    public string? S3AccessKey { get; set; }

    /// <summary>The secret access key; AWS_SECRET_ACCESS_KEY when absent.</summary>
    [JsonPropertyName("s3_secret_key")]
    public string? S3SecretKey { get; set; }

    /// <summary>A session token for temporary credentials; AWS_SESSION_TOKEN when absent.</summary>
    [JsonPropertyName("s3_session_token")]
    public string? S3SessionToken { get; set; }

    /// <summary>Multipart part size in MiB (5 to 1024, default 8): what one upload holds in memory at most.</summary>
    [JsonPropertyName("s3_part_size_mb")]
    public int? S3PartSizeMb { get; set; }

    /// <summary>The largest manifest accepted, in bytes (4 MiB by default, as the spec suggests).</summary>
    [JsonPropertyName("max_manifest_bytes")]
    public long? MaxManifestBytes { get; set; }
}
