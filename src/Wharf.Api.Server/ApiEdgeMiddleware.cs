using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Wharf.Api.Common;
using Wharf.Core;
using Wharf.Core.Errors;

namespace Wharf.Api.Server;

/// <summary>
/// Everything that happens at the edge before a handler runs: Docker's response headers,
/// the <c>/v1.NN</c> prefix (stripped and checked against the supported range), and the
/// translation of errors into Docker's <c>{"message": ...}</c> with the mapped status.
/// </summary>
internal sealed partial class ApiEdgeMiddleware(RequestDelegate next, ILogger<ApiEdgeMiddleware> log)
{
    public const string VersionKey = "wharf.api-version";

    public async Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers["Api-Version"] = EngineVersion.MaxApi;
        headers["Docker-Experimental"] = "false";
        headers["Ostype"] = "linux";
        headers["Server"] = $"Wharf/{EngineVersion.Version} (linux)";

        try
        {
            var version = ApiVersion.Max;
            var path = context.Request.Path.Value ?? "/";
            if (path.StartsWith("/v", StringComparison.Ordinal))
            {
                var slash = path.IndexOf('/', 1);
                var text = slash < 0 ? path[2..] : path[2..slash];
                if (ApiVersion.TryParse(text, out var requested))
                {
                    if (requested > ApiVersion.Max)
                    {
                        throw WharfException.Invalid($"client version {requested} is too new. Maximum supported API version is {ApiVersion.Max}");
                    }

                    if (requested < ApiVersion.Min)
                    {
                        throw WharfException.Invalid($"client version {requested} is too old. Minimum supported API version is {ApiVersion.Min}, please upgrade your client to a newer version");
                    }

                    version = requested;
                    context.Request.Path = slash < 0 ? "/" : path[slash..];
                }
            }

            context.Items[VersionKey] = version;
            await next(context).ConfigureAwait(false);
        }
        catch (WharfException e)
        {
            await WriteErrorAsync(context, ErrorMap.StatusOf(e.Kind), e.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await WriteErrorAsync(context, e.StatusCode, e.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e)
        {
            LogUnexpected(e, context.Request.Method, context.Request.Path);
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, e.Message).ConfigureAwait(false);
        }
    }

    public static ApiVersion VersionOf(HttpContext context)
        => context.Items.TryGetValue(VersionKey, out var v) && v is ApiVersion av ? av : ApiVersion.Max;

    internal static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = status;
        if (status == StatusCodes.Status304NotModified)
        {
            // Docker answers "already started/stopped" with a bare 304.
            return;
        }

        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ErrorResponse { Message = message }, ApiJsonContext.Wire.ErrorResponse, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Error, Message = "unexpected error serving {Method} {Path}")]
    private partial void LogUnexpected(Exception e, string method, string path);
}
