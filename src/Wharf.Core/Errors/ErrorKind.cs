namespace Wharf.Core.Errors;

/// <summary>
/// The closed set of failure kinds. The API edge maps each to one HTTP status in exactly one
/// place; nothing else chooses status codes.
/// </summary>
public enum ErrorKind
{
    /// <summary>The request is malformed or names something invalid (400).</summary>
    InvalidArgument,

    /// <summary>Nothing to do: the object is already in the asked state (304, e.g. starting a running container).</summary>
    NotModified,

    /// <summary>The object does not exist (404).</summary>
    NotFound,

    /// <summary>The request conflicts with the current state, e.g. an image in use (409).</summary>
    Conflict,

    /// <summary>Credentials are missing or wrong (401).</summary>
    Unauthorized,

    /// <summary>Not allowed (403).</summary>
    Forbidden,

    /// <summary>The feature exists in Docker but not (yet) here (501).</summary>
    NotImplemented,

    /// <summary>A dependency is not available right now (503).</summary>
    Unavailable,

    /// <summary>A bug or an unexpected host failure (500).</summary>
    Internal,
}
