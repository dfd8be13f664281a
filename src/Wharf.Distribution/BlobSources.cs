using System.Net;

namespace Wharf.Distribution;

/// <summary>
/// Where one pull fetches its blobs: the endpoint that served the manifest (a mirror, perhaps)
/// and after it the upstream registry. When a mirror fails, every download of the pull, the one
/// that broke included, continues from the next endpoint; downloads keep the bytes they have
/// and ask the new endpoint only for the rest.
/// </summary>
internal sealed class BlobSources
{
    private readonly RegistrySession[] _sessions;
    private readonly Action<RegistrySession, Exception> _onFallBack;
    private int _first;

    public BlobSources(IReadOnlyList<RegistrySession> sessions, Action<RegistrySession, Exception> onFallBack)
    {
        if (sessions.Count == 0)
        {
            throw new ArgumentException("no endpoint to pull from", nameof(sessions));
        }

        _sessions = [.. sessions];
        _onFallBack = onFallBack;
    }

    /// <summary>The endpoint to use now.</summary>
    public RegistrySession Current => _sessions[Volatile.Read(ref _first)];

    /// <summary>
    /// Called when <paramref name="failed"/> broke with <paramref name="error"/>: true when the
    /// caller should go on with <see cref="Current"/> (the failed one was a mirror and another
    /// endpoint follows it, or another download already moved on), false when the error stands.
    /// </summary>
    public bool FallBack(RegistrySession failed, Exception error)
    {
        var index = Array.IndexOf(_sessions, failed);
        if (index < 0 || index + 1 >= _sessions.Length || !failed.Endpoint.IsMirror || !IsMirrorFault(error))
        {
            return false;
        }

        var seen = Volatile.Read(ref _first);
        while (seen <= index)
        {
            var was = Interlocked.CompareExchange(ref _first, index + 1, seen);
            if (was == seen)
            {
                _onFallBack(failed, error);
                break;
            }

            seen = was;
        }

        return true;
    }

    /// <summary>Dropped connections, refusals and 5xx; a mirror lacking the blob (404) counts too.</summary>
    private static bool IsMirrorFault(Exception e) => e switch
    {
        IOException or HttpRequestException => true,
        RegistryException r => r.Status is >= HttpStatusCode.InternalServerError or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests,
        _ => false,
    };
}
