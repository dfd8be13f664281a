using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Wharf.Registry.Storage.S3;

/// <summary>
/// AWS Signature Version 4 for S3 requests sent with an Authorization header
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html). Pure: the
/// caller passes the time, so the published example vectors pin it in unit tests.
/// </summary>
internal static class SigV4
{
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>
    /// The Authorization header value for a request. <paramref name="headers"/> are the headers to
    /// sign (names in any case; <c>host</c>, <c>x-amz-date</c> and <c>x-amz-content-sha256</c> among
    /// them); <paramref name="canonicalUri"/> and <paramref name="canonicalQuery"/> are already
    /// encoded as sent (see <see cref="UriEncode"/> and <see cref="CanonicalQuery"/>).
    /// </summary>
    public static string Authorization(
        string method, string canonicalUri, string canonicalQuery, IEnumerable<KeyValuePair<string, string>> headers,
        string payloadHash, DateTimeOffset time, string accessKey, string secretKey, string region, string service = "s3")
    {
        var sorted = headers
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: CollapseSpaces(h.Value)))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signedHeaders = string.Join(';', sorted.Select(h => h.Name));
        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(canonicalUri).Append('\n')
            .Append(canonicalQuery).Append('\n');
        foreach (var (name, value) in sorted)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }
        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);

        var amzDate = AmzDate(time);
        var day = amzDate[..8];
        var scope = $"{day}/{region}/{service}/aws4_request";
        var stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), day);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));
        return $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    /// <summary>The <c>x-amz-date</c> form of a time: yyyyMMddTHHmmssZ in UTC.</summary>
    public static string AmzDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static string PayloadHash(ReadOnlySpan<byte> payload) => Hex(SHA256.HashData(payload));

    /// <summary>
    /// Percent-encodes everything but RFC 3986's unreserved characters (and '/' when
    /// <paramref name="keepSlash"/>), upper-case hex, as SigV4 asks; S3 object keys are encoded
    /// once, segment by segment.
    /// </summary>
    public static string UriEncode(string value, bool keepSlash)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    /// <summary>The query string in canonical form (encoded, sorted by name then value); also what is sent.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join('&', query
            .Select(p => (Name: UriEncode(p.Key, false), Value: UriEncode(p.Value, false)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    private static string CollapseSpaces(string value)
    {
        var trimmed = value.Trim();
        if (!trimmed.Contains("  ", StringComparison.Ordinal))
        {
            return trimmed;
        }
        var sb = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed)
        {
            if (c != ' ' || sb.Length == 0 || sb[^1] != ' ')
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
