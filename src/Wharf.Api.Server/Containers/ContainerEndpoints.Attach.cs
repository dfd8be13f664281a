using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Wharf.Api.Streams;
using Wharf.Core.Containers;
using Wharf.Core.Errors;

namespace Wharf.Api.Server.Containers;

/// <summary>
/// Attach over a hijacked connection (<c>POST /containers/{id}/attach</c>) and over a websocket
/// (<c>GET /containers/{id}/attach/ws</c>), both relayed by <see cref="AttachRelay"/>.
/// </summary>
internal static partial class ContainerEndpoints
{
    /// <summary>Websocket attach before this version sends text frames (moby#28176).</summary>
    private static readonly ApiVersion WebSocketBinaryFrames = new(1, 28);

    /// <summary>Websocket attach before this version ignores stdin/stdout/stderr and attaches all three.</summary>
    private static readonly ApiVersion WebSocketStreamSelection = new(1, 42);

    private static async Task AttachAsync(HttpContext context, IContainerService containers, string id)
    {
        var q = context.Request.Query;
        bool logs = ImageEndpoints.Bool(q["logs"]), stream = ImageEndpoints.Bool(q["stream"]);
        byte[] keys;
        ContainerRecord rec;
        AttachStreams streams;
        try
        {
            keys = DetachKeysOf(q["detachKeys"]);
            rec = AttachableContainer(containers, id);
            streams = StreamsFor(rec, ImageEndpoints.Bool(q["stdin"]), ImageEndpoints.Bool(q["stdout"]), ImageEndpoints.Bool(q["stderr"]));
            if (!logs && !stream)
            {
                throw WharfException.Invalid("Bad parameters: you must choose at least one stream");
            }
        }
        catch (WharfException e)
        {
            await Hijack.WriteErrorAsync(context, e).ConfigureAwait(false);
            return;
        }

        // Register the attach before answering 101: clients start the container as soon as they
        // see the upgrade, and output written before registration would be missed.
        // Not RequestAborted: clients without stdin half-close the hijacked connection, which
        // Kestrel reports as an abort, yet they still read the output. A failed write ends it.
        var aborted = CancellationToken.None;
        var shimTask = stream ? containers.AttachAsync(rec.Id, streams, aborted) : null;
        var (output, input, halfClosed) = await Hijack.AcceptAsync(context, rec.Config.Tty).ConfigureAwait(false);
        try
        {
            if (logs)
            {
                var options = new LogOptions(streams.Stdout, streams.Stderr, Follow: false, null, null, -1);
                await foreach (var entry in containers.LogsAsync(rec.Id, options, aborted).ConfigureAwait(false))
                {
                    await WriteLogEntryAsync(output, entry, rec.Config.Tty, timestamps: false, aborted).ConfigureAwait(false);
                }

                await output.FlushAsync(aborted).ConfigureAwait(false);
            }

            containers.RecordAttach(rec.Id, detached: false);
            if (await ConnectAsync(shimTask).ConfigureAwait(false) is not { } shim)
            {
                return;
            }

            await using (shim.ConfigureAwait(false))
            {
                var relay = new AttachRelayOptions(streams.Stdin && input is not null, streams.StdinOnce, rec.Config.Tty ? keys : null, Demultiplex: false);
                if (await AttachRelay.RunAsync(shim, new HijackPeer(output, input, halfClosed), relay, aborted).ConfigureAwait(false) == AttachEnd.Detached)
                {
                    containers.RecordAttach(rec.Id, detached: true);
                }
            }
        }
        finally
        {
            if (output != context.Response.Body)
            {
                await output.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Docker's websocket attach: raw bytes both ways, never multiplexed (stdout and stderr
    /// interleave in one stream), each output chunk one message.
    /// </summary>
    private static async Task AttachWebSocketAsync(HttpContext context, IContainerService containers, string id)
    {
        var q = context.Request.Query;
        var version = ApiEdgeMiddleware.VersionOf(context);
        var keys = DetachKeysOf(q["detachKeys"]);
        var rec = AttachableContainer(containers, id);
        bool all = version < WebSocketStreamSelection;
        var streams = StreamsFor(rec, all || ImageEndpoints.Bool(q["stdin"]), all || ImageEndpoints.Bool(q["stdout"]), all || ImageEndpoints.Bool(q["stderr"]));
        if (!context.WebSockets.IsWebSocketRequest)
        {
            throw WharfException.Invalid("not websocket protocol");
        }

        var aborted = CancellationToken.None;
        var shimTask = ImageEndpoints.Bool(q["stream"]) ? containers.AttachAsync(rec.Id, streams, aborted) : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var peer = new WebSocketPeer(socket, version >= WebSocketBinaryFrames ? WebSocketMessageType.Binary : WebSocketMessageType.Text);
        try
        {
            if (ImageEndpoints.Bool(q["logs"]) && (streams.Stdout || streams.Stderr))
            {
                var options = new LogOptions(streams.Stdout, streams.Stderr, Follow: false, null, null, -1);
                await foreach (var entry in containers.LogsAsync(rec.Id, options, aborted).ConfigureAwait(false))
                {
                    await peer.WriteAsync(entry.Data, aborted).ConfigureAwait(false);
                }
            }

            containers.RecordAttach(rec.Id, detached: false);
            if (await ConnectAsync(shimTask).ConfigureAwait(false) is { } shim)
            {
                await using (shim.ConfigureAwait(false))
                {
                    var relay = new AttachRelayOptions(streams.Stdin, streams.StdinOnce, rec.Config.Tty ? keys : null, Demultiplex: !rec.Config.Tty);
                    if (await AttachRelay.RunAsync(shim, peer, relay, aborted).ConfigureAwait(false) == AttachEnd.Detached)
                    {
                        containers.RecordAttach(rec.Id, detached: true);
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            // The client went away; nothing is left to tell it.
        }

        await peer.CloseAsync().ConfigureAwait(false);
    }

    /// <summary>The connection is already upgraded when this runs: a failure can only end it.</summary>
    private static async Task<Stream?> ConnectAsync(Task<Stream>? shimTask)
    {
        if (shimTask is null)
        {
            return null;
        }

        try
        {
            return await shimTask.ConfigureAwait(false);
        }
        catch (Exception e) when (e is WharfException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>dockerd checks the keys first (before the container): a bad value is a 400.</summary>
    private static byte[] DetachKeysOf(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return DetachKeys.Default.ToArray();
        }

        return DetachKeys.TryParse(text, out var keys, out _)
            ? keys
            : throw WharfException.Invalid($"Invalid detach keys ({text}) provided");
    }

    private static ContainerRecord AttachableContainer(IContainerService containers, string id)
    {
        var rec = containers.Inspect(id);
        return rec.State.Status switch
        {
            "paused" => throw WharfException.Conflict($"container {id} is paused, unpause the container before attach"),
            "restarting" => throw WharfException.Conflict($"container {id} is restarting, wait until the container is running"),
            _ => rec,
        };
    }

    /// <summary>
    /// Stdin only for a container created with OpenStdin (dockerd silently drops it otherwise).
    /// StdinOnce only without a tty: dockerd never closes a tty's input when a client's ends, it
    /// ends that client's session, so a detaching client leaves the container running.
    /// </summary>
    private static AttachStreams StreamsFor(ContainerRecord rec, bool stdin, bool stdout, bool stderr)
        => new(stdin && rec.Config.OpenStdin, stdout, stderr, rec.Config.StdinOnce && !rec.Config.Tty);
}
