using System.Net;

namespace Wharf.Registry.Storage.S3;

/// <summary>An S3 request failed: the status, S3's error code (e.g. NoSuchBucket) and message.</summary>
internal sealed class S3Exception : StorageUnavailableException
{
    public S3Exception(string message, HttpStatusCode status, string? code)
        : base(message)
    {
        Status = status;
        Code = code;
    }

    public S3Exception(string message, Exception inner)
        : base(message, inner)
    {
    }

    public HttpStatusCode Status { get; }

    public string? Code { get; }
}
