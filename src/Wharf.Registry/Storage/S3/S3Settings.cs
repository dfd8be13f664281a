using System.Globalization;
using Wharf.Registry.Config;

namespace Wharf.Registry.Storage.S3;

/// <summary>
/// Where the S3 backend keeps the registry: an endpoint (AWS's regional one when none is given),
/// a bucket, a key prefix, and the credentials to sign with. <see cref="FromConfig"/> refuses
/// missing or malformed settings with a message naming the flag and the config key.
/// </summary>
internal sealed record S3Settings(
    Uri Endpoint, string Bucket, string Region, string Prefix, bool PathStyle,
    string AccessKey, string SecretKey, string? SessionToken, int PartSize)
{
    /// <summary>Parts of multipart uploads (and so the most an upload holds in memory): S3's minimum is 5 MiB.</summary>
    public const int DefaultPartSize = 8 * 1024 * 1024;

    public const int MinPartSize = 5 * 1024 * 1024;

    public static S3Settings FromConfig(RegistryConfig config, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        var bucket = config.S3Bucket;
        if (string.IsNullOrWhiteSpace(bucket))
        {
            throw new ArgumentException("--storage s3 needs a bucket: --s3-bucket (or s3_bucket in the config file)");
        }
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-') || !char.IsAsciiLetterOrDigit(bucket[0]))
        {
            throw new ArgumentException($"invalid S3 bucket name \"{bucket}\" (3-63 characters: lower-case letters, digits, '.' and '-')");
        }
        var region = FirstNonEmpty(config.S3Region, environment("AWS_REGION"), environment("AWS_DEFAULT_REGION")) ?? "us-east-1";
        if (!region.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException($"invalid S3 region \"{region}\"");
        }
        Uri endpoint;
        if (string.IsNullOrWhiteSpace(config.S3Endpoint))
        {
            endpoint = new Uri($"https://s3.{region}.amazonaws.com");
        }
        else if (!Uri.TryCreate(config.S3Endpoint, UriKind.Absolute, out endpoint!) || endpoint.Scheme is not ("http" or "https")
            || endpoint.AbsolutePath != "/" || endpoint.Query.Length > 0 || endpoint.UserInfo.Length > 0)
        {
            throw new ArgumentException($"invalid --s3-endpoint \"{config.S3Endpoint}\" (want http://host:port or https://host, no path)");
        }
        var prefix = (config.S3Prefix ?? "").Trim('/');
        if (prefix.Length > 0)
        {
            if (prefix.Split('/').Any(s => s.Length == 0 || s is "." or ".." || s.Any(char.IsControl)))
            {
                throw new ArgumentException($"invalid --s3-prefix \"{config.S3Prefix}\" (no empty, '.' or '..' segments)");
            }
            prefix += "/";
        }
        var accessKey = FirstNonEmpty(config.S3AccessKey, environment("AWS_ACCESS_KEY_ID"));
        var secretKey = FirstNonEmpty(config.S3SecretKey, environment("AWS_SECRET_ACCESS_KEY"));
        if (accessKey is null || secretKey is null)
        {
            throw new ArgumentException(
                "--storage s3 needs credentials: s3_access_key and s3_secret_key in the config file, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
        }
        var partSize = config.S3PartSizeMb is { } mb ? mb * 1024L * 1024 : DefaultPartSize;
        if (partSize < MinPartSize || partSize > 1024L * 1024 * 1024)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"invalid s3_part_size_mb {config.S3PartSizeMb} (5 to 1024)"));
        }
        // Bucket names with dots do not fit a TLS wildcard certificate as a host name; path style by default for them.
        var pathStyle = config.S3PathStyle ?? (!string.IsNullOrWhiteSpace(config.S3Endpoint) || bucket.Contains('.', StringComparison.Ordinal));
        return new S3Settings(endpoint, bucket, region, prefix, pathStyle, accessKey, secretKey,
            FirstNonEmpty(config.S3SessionToken, environment("AWS_SESSION_TOKEN")), (int)partSize);
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
