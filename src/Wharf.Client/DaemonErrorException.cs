using System.Net;

namespace Wharf.Client;

/// <summary>The daemon answered with an error status; <see cref="Exception.Message"/> is its <c>message</c>.</summary>
public sealed class DaemonErrorException : Exception
{
    public DaemonErrorException(HttpStatusCode statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode StatusCode { get; }
}
