using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Wharf.Api.Common;
using Wharf.Core.Errors;
using Wharf.Core.Images;

namespace Wharf.Api.Server;

/// <summary>
/// Writes Docker's JSON-message stream. The status line is committed by the first message,
/// so a failure before any progress is still a proper HTTP error; a failure after it becomes
/// an <c>errorDetail</c> message in the stream, as Docker clients expect.
/// </summary>
internal sealed class ProgressStream(HttpContext context)
{
    private static readonly byte[] Newline = "\r\n"u8.ToArray();

    public bool Started { get; private set; }

    public async ValueTask WriteAsync(ProgressMessage message)
    {
        var wire = new JsonMessage
        {
            Status = message.Status,
            Id = message.Id,
            Stream = message.Stream,
            ProgressDetail = message.Current is null && message.Total is null ? ((message.Status is not null && message.Id is not null && !message.Plain) || message.PushResult is not null ? new ProgressDetail() : null) : new ProgressDetail { Current = message.Current, Total = message.Total },
            Progress = message.Current is { } c && message.Total is { } t ? RenderBar(c, t) : null,
            Error = message.Error,
            ErrorDetail = message.Error is null ? null : new ErrorDetail { Message = message.Error },
            Aux = message.PushResult is { } pushed ? new PushResultAux { Tag = pushed.Tag, Digest = pushed.Digest, Size = pushed.Size } : null,
        };
        await WriteAsync(wire).ConfigureAwait(false);
    }

    public async ValueTask WriteAsync(JsonMessage message)
    {
        if (!Started)
        {
            Started = true;
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
        }

        await JsonSerializer.SerializeAsync(context.Response.Body, message, ApiJsonContext.Wire.JsonMessage, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.WriteAsync(Newline, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a streaming operation: errors before the first message propagate (HTTP status),
    /// errors after it are written into the stream.
    /// </summary>
    public async Task RunAsync(Func<ProgressStream, Task> operation)
    {
        try
        {
            await operation(this).ConfigureAwait(false);
        }
        catch (WharfException e) when (Started)
        {
            await WriteAsync(new ProgressMessage { Error = e.Message }).ConfigureAwait(false);
        }
    }

    /// <summary>Docker's text progress bar: 50 columns, then current/total in decimal units.</summary>
    internal static string RenderBar(long current, long total)
    {
        if (total <= 0)
        {
            return HumanSize(current);
        }

        const int width = 50;
        var filled = (int)Math.Min(width, current * width / total);
        var bar = new string('=', filled) + ">" + new string(' ', width - filled);
        return "[" + bar + "] " + HumanSize(current).PadLeft(8) + "/" + HumanSize(total);
    }

    /// <summary>docker/go-units HumanSize: decimal units, four significant digits.</summary>
    internal static string HumanSize(double size)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB"];
        var i = 0;
        while (size >= 1000 && i < units.Length - 1)
        {
            size /= 1000;
            i++;
        }

        return size.ToString("G4", CultureInfo.InvariantCulture) + units[i];
    }
}
