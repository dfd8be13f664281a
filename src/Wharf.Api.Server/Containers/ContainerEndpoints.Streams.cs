using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Wharf.Api.Containers;
using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Wharf.Core.Filters;

namespace Wharf.Api.Server.Containers;

internal static partial class ContainerEndpoints
{
    /// <summary>
    /// Docker answers wait with the headers at once (clients rely on it to know the wait is
    /// registered before they start the container) and the body when the condition is met.
    /// </summary>
    private static async Task WaitAsync(HttpContext context, IContainerService containers, string id)
    {
        var wait = containers.RegisterWait(id, NullIfEmpty(context.Request.Query["condition"]), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        ContainerWaitResponse result;
        try
        {
            var exit = await wait.ConfigureAwait(false);
            result = new ContainerWaitResponse { StatusCode = exit.StatusCode, Error = exit.Error is null ? null : new ContainerWaitExitError { Message = exit.Error } };
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        await JsonSerializer.SerializeAsync(context.Response.Body, result, ContainerJsonContext.Wire.ContainerWaitResponse, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task LogsAsync(HttpContext context, IContainerService containers, TimeProvider time, string id)
    {
        var q = context.Request.Query;
        var rec = containers.Inspect(id);
        var now = time.GetUtcNow();
        var tail = q["tail"].ToString() is { Length: > 0 } t && t != "all"
            ? int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw WharfException.Invalid($"invalid value for \"tail\": {t}")
            : -1;
        var options = new LogOptions(
            ImageEndpoints.Bool(q["stdout"]),
            ImageEndpoints.Bool(q["stderr"]),
            ImageEndpoints.Bool(q["follow"]),
            q["since"].ToString() is { Length: > 0 } s && s != "0" ? TimeFilter.Parse(s, now) : null,
            q["until"].ToString() is { Length: > 0 } u && u != "0" ? TimeFilter.Parse(u, now) : null,
            tail);
        var timestamps = ImageEndpoints.Bool(q["timestamps"]);
        var entries = containers.LogsAsync(rec.Id, options, context.RequestAborted).GetAsyncEnumerator(context.RequestAborted);
        try
        {
            // The first MoveNext validates the options (a 400 before any byte is sent).
            var has = await entries.MoveNextAsync().ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = rec.Config.Tty ? Hijack.RawStream : Hijack.MultiplexedStream;
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            while (has)
            {
                await WriteLogEntryAsync(context.Response.Body, entries.Current, rec.Config.Tty, timestamps, context.RequestAborted).ConfigureAwait(false);
                if (options.Follow)
                {
                    await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                }

                has = await entries.MoveNextAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        finally
        {
            await entries.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One log record in Docker's stream format: raw with a tty, else an 8-byte frame header.</summary>
    private static async Task WriteLogEntryAsync(Stream output, LogEntry entry, bool tty, bool timestamps, CancellationToken cancellationToken)
    {
        var payload = entry.Data;
        if (timestamps)
        {
            var stamp = Encoding.ASCII.GetBytes(entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z ");
            payload = stamp.Concat(entry.Data.ToArray()).ToArray();
        }

        if (!tty)
        {
            var header = new byte[8];
            header[0] = (byte)entry.Stream;
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
            await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        }

        await output.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
    }
}
