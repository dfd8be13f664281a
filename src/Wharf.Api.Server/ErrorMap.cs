using Microsoft.AspNetCore.Http;
using Wharf.Core.Errors;

namespace Wharf.Api.Server;

/// <summary>The single mapping from error kinds to HTTP status codes.</summary>
internal static class ErrorMap
{
    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.NotModified => StatusCodes.Status304NotModified,
        ErrorKind.InvalidArgument => StatusCodes.Status400BadRequest,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.NotImplemented => StatusCodes.Status501NotImplemented,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
