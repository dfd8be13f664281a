using System.Net;

namespace Wharf.Registry.Storage.S3;

/// <summary>
/// When and how long the S3 client waits before sending a failed request again, after AWS's
/// documented behaviour: answers with 500, 502, 503 or 504, 429, the throttling and timeout error
/// codes (SlowDown, RequestTimeout, Throttling...), and failures where no whole answer arrived
/// (connection refused or reset, a connect or attempt timeout, a body cut short) are transient; everything else
/// (other 4xx: NoSuchKey, AccessDenied...) is final. Waits grow exponentially with full jitter
/// (a random time up to base * 2^(retry-1), capped), so clients that failed together do not come back together.
/// </summary>
/// <param name="MaxAttempts">Attempts in all, the first included.</param>
/// <param name="BaseDelay">The cap of the first wait; doubles with each retry.</param>
/// <param name="MaxDelay">The longest single wait.</param>
internal sealed record S3RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>5 attempts, waits of at most 0.25, 0.5, 1 and 2 s: a throttled request gives up after about 4 s at worst.</summary>
    public static S3RetryPolicy Default { get; } = new(5, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(20));

    /// <summary>Error codes (in an error body) that mean "try again later", whatever the status.</summary>
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "InternalError", "ServiceUnavailable", "SlowDown", "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "RequestThrottled",
        "TooManyRequestsException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    };

    /// <summary>
    /// How long one attempt may take before it counts as a failed (timed out) one, besides the time
    /// its body needs at a slow 1 MiB/s: a connection that stalls is dropped and tried again instead
    /// of holding the request forever. For a streamed read, the longest wait for the next bytes.
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The slowest transfer rate (bytes a second) an attempt is given time for, on top of <see cref="AttemptTimeout"/>.</summary>
    public double MinBytesPerSecond { get; init; } = 1024 * 1024;

    /// <summary>The time one attempt that moves <paramref name="bodyLength"/> bytes may take.</summary>
    public TimeSpan TimeoutFor(long bodyLength) => AttemptTimeout + TimeSpan.FromSeconds(bodyLength / MinBytesPerSecond);

    public static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status is 500 or 502 or 503 or 504 or 429;

    public static bool IsTransientCode(string? code) => code is not null && TransientCodes.Contains(code);

    /// <summary>
    /// A failure of the exchange itself rather than an answer: worth another attempt unless it is one
    /// that repeating cannot fix (TLS refused, a local limit).
    /// </summary>
    public static bool IsTransientFailure(HttpRequestException e) =>
        e.HttpRequestError is not (HttpRequestError.SecureConnectionError or HttpRequestError.ConfigurationLimitExceeded
            or HttpRequestError.UserAuthenticationError or HttpRequestError.ProxyTunnelError);

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var cap = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(cap, MaxDelay.TotalMilliseconds));
    }
}
