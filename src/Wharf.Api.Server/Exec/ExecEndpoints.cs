using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wharf.Api.Containers;
using Wharf.Api.Exec;
using Wharf.Api.Server.Containers;
using Wharf.Core.Errors;
using Wharf.Core.Exec;

namespace Wharf.Api.Server.Exec;

/// <summary>Docker Engine API "Exec" section: create, start (hijacked like attach), resize, inspect.</summary>
internal static class ExecEndpoints
{
    private static readonly TimeSpan ExitRecordWait = TimeSpan.FromSeconds(3);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/containers/{id}/exec", CreateAsync);
        app.MapPost("/exec/{id}/start", StartAsync);
        app.MapPost("/exec/{id}/resize", ResizeAsync);
        app.MapGet("/exec/{id}/json", Inspect);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IExecService execs, string id)
    {
        var req = await ReadBodyAsync(context, ContainerJsonContext.Default.ExecCreateRequest).ConfigureAwait(false)
            ?? throw WharfException.Invalid("got EOF while reading request body");
        // dockerd checks the command before it looks at the container.
        if (req.Cmd is not { Count: > 0 } cmd)
        {
            throw WharfException.Invalid("No exec command specified");
        }

        var spec = new ExecCreateSpec
        {
            Cmd = cmd,
            Env = req.Env ?? [],
            WorkingDir = req.WorkingDir ?? "",
            User = req.User ?? "",
            Tty = req.Tty,
            AttachStdin = req.AttachStdin,
            AttachStdout = req.AttachStdout,
            AttachStderr = req.AttachStderr,
            Privileged = req.Privileged,
            DetachKeys = req.DetachKeys ?? "",
            ConsoleHeight = req.ConsoleSize is [var h, _] ? (int)Math.Min(h, int.MaxValue) : 0,
            ConsoleWidth = req.ConsoleSize is [_, var w] ? (int)Math.Min(w, int.MaxValue) : 0,
        };
        var execId = execs.Create(id, spec);
        return Results.Json(new ExecCreateResponse { Id = execId }, ContainerJsonContext.Wire.ExecCreateResponse, statusCode: StatusCodes.Status201Created);
    }

    private static IResult Inspect(IExecService execs, string id)
    {
        var v = execs.Inspect(id);
        return Results.Json(new ExecInspect
        {
            Id = v.Id,
            Running = v.Running,
            ExitCode = v.ExitCode,
            ProcessConfig = new ExecProcessConfig
            {
                Tty = v.Tty,
                Entrypoint = v.Entrypoint,
                Arguments = v.Arguments,
                Privileged = v.Privileged,
                User = v.User.Length > 0 ? v.User : null,
            },
            OpenStdin = v.OpenStdin,
            OpenStdout = v.OpenStdout,
            OpenStderr = v.OpenStderr,
            CanRemove = false,
            ContainerId = v.ContainerId,
            DetachKeys = v.DetachKeys,
            Pid = v.Pid,
        }, ContainerJsonContext.Wire.ExecInspect);
    }

    private static async Task<IResult> ResizeAsync(HttpContext context, IExecService execs, string id)
    {
        var q = context.Request.Query;
        if (!int.TryParse(q["h"], NumberStyles.None, CultureInfo.InvariantCulture, out var h) || !int.TryParse(q["w"], NumberStyles.None, CultureInfo.InvariantCulture, out var w))
        {
            throw WharfException.Invalid("invalid resize parameters: h and w must be non-negative integers");
        }

        await execs.ResizeAsync(id, h, w, context.RequestAborted).ConfigureAwait(false);
        return Results.Ok();
    }

    /// <summary>
    /// Detached: 200 with an empty body once the process runs, or a real HTTP error. Attached: the
    /// connection is hijacked first (errors found before that are real HTTP errors), then the
    /// process starts with its stdio connected; a start failure is written into the stream as
    /// text, as dockerd does, and the exit code (126/127) is left in exec inspect.
    /// </summary>
    private static async Task StartAsync(HttpContext context, IExecService execs, string id)
    {
        // A hijack whose body Kestrel left in the raw stream (see UpgradeWithBody) is read after the upgrade.
        var bodyInStream = context.Request.Headers[UpgradeWithBody.BodyLengthHeader].ToString();
        var req = bodyInStream.Length > 0 ? null : await ReadBodyAsync(context, ContainerJsonContext.Default.ExecStartRequest).ConfigureAwait(false) ?? new ExecStartRequest();
        var view = execs.Inspect(id);
        if (view.ExitCode is not null)
        {
            throw WharfException.Conflict($"Error: Exec command {view.Id} has already run");
        }
        if (view.Running)
        {
            throw WharfException.Conflict($"Error: Exec command {view.Id} is already running");
        }

        if (req is { Detach: true })
        {
            await execs.StartAsync(id, detach: true, Height(req), Width(req), context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentLength = 0;
            return;
        }

        // Not RequestAborted: clients without stdin half-close the hijacked connection (see container attach).
        var aborted = CancellationToken.None;
        var (output, input, halfClosed) = await Hijack.AcceptAsync(context, view.Tty).ConfigureAwait(false);
        try
        {
            if (req is null)
            {
                if (input is null || !int.TryParse(bodyInStream, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > MaxBody)
                {
                    return;
                }
                var bytes = new byte[length];
                await input.ReadExactlyAsync(bytes, aborted).ConfigureAwait(false);
                try
                {
                    req = JsonSerializer.Deserialize(bytes, ContainerJsonContext.Default.ExecStartRequest) ?? new ExecStartRequest();
                }
                catch (JsonException e)
                {
                    await WriteErrorAsync(output, view.Tty, "invalid JSON in request body: " + e.Message).ConfigureAwait(false);
                    return;
                }
            }

            Stream? process;
            try
            {
                process = await execs.StartAsync(id, detach: false, Height(req), Width(req), aborted).ConfigureAwait(false);
            }
            catch (WharfException e)
            {
                await WriteErrorAsync(output, view.Tty, e.Message).ConfigureAwait(false);
                return;
            }

            if (process is not null)
            {
                // Detach keys apply to tty sessions only, as in dockerd.
                var keys = !view.Tty ? null : view.DetachKeys.Length > 0 ? view.DetachKeys.Select(c => (byte)c).ToArray() : DetachFilter.Default;
                if (await PumpAsync(process, output, view.OpenStdin ? input : null, halfClosed, keys).ConfigureAwait(false))
                {
                    execs.Detached(id);
                    return;
                }
            }

            // The client asks for the exit code as soon as its stream ends.
            try
            {
                await execs.WaitExitAsync(id, aborted).WaitAsync(ExitRecordWait, aborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or WharfException)
            {
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException)
        {
        }
        finally
        {
            if (output != context.Response.Body)
            {
                await output.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static int Height(ExecStartRequest req) => req.ConsoleSize is [var h, _] ? (int)Math.Min(h, int.MaxValue) : 0;

    private static int Width(ExecStartRequest req) => req.ConsoleSize is [_, var w] ? (int)Math.Min(w, int.MaxValue) : 0;

    /// <summary>Copies output to the client and its input to the process; true when the client detached with the detach keys.</summary>
    private static async Task<bool> PumpAsync(Stream process, Stream output, Stream? input, Task halfClosed, byte[]? detachKeys)
    {
        var aborted = CancellationToken.None;
        var detached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (process.ConfigureAwait(false))
        {
            Task? toProcess = null;
            if (input is not null)
            {
                toProcess = Task.Run(async () =>
                {
                    try
                    {
                        var copy = detachKeys is null ? input.CopyToAsync(process, aborted) : DetachFilter.CopyAsync(input, process, detachKeys, aborted);
                        // The guarded input never reports EOF after a half-close; the half-close task does.
                        if (await Task.WhenAny(copy, halfClosed).ConfigureAwait(false) == copy && copy is Task<bool> { Result: true })
                        {
                            detached.TrySetResult();
                            return;
                        }
                        if (process is global::System.Net.Sockets.NetworkStream ns)
                        {
                            ns.Socket.Shutdown(global::System.Net.Sockets.SocketShutdown.Send);
                        }
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                    {
                    }
                }, CancellationToken.None);
            }

            using var stopOutput = new CancellationTokenSource();
            _ = detached.Task.ContinueWith(_ => stopOutput.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                var buffer = new byte[32 * 1024];
                int n;
                while ((n = await process.ReadAsync(buffer, stopOutput.Token).ConfigureAwait(false)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, n), aborted).ConfigureAwait(false);
                    await output.FlushAsync(aborted).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }

            if (toProcess is not null)
            {
                await Task.WhenAny(toProcess, Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
            }
        }
        return detached.Task.IsCompleted;
    }

    /// <summary>dockerd writes a failed start into the hijacked stream's stdout, followed by CRLF.</summary>
    private static async Task WriteErrorAsync(Stream output, bool tty, string message)
    {
        var payload = Encoding.UTF8.GetBytes(message + "\r\n");
        try
        {
            if (!tty)
            {
                var header = new byte[8];
                header[0] = 1;
                BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
                await output.WriteAsync(header).ConfigureAwait(false);
            }
            await output.WriteAsync(payload).ConfigureAwait(false);
            await output.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
    }

    private const int MaxBody = 1024 * 1024;

    private static async Task<T?> ReadBodyAsync<T>(HttpContext context, global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return null;
        }
        body.Position = 0;
        try
        {
            return JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException e)
        {
            throw WharfException.Invalid("invalid JSON in request body: " + e.Message, e);
        }
    }
}
