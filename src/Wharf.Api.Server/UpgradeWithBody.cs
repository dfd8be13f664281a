using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;

namespace Wharf.Api.Server;

/// <summary>
/// Docker clients hijack <c>POST /exec/{id}/start</c> with a JSON body on the same request that
/// asks for <c>Connection: Upgrade</c>; Kestrel never upgrades a request with a body. This
/// connection middleware looks at the first request of each connection (Docker clients dial a fresh
/// connection for every hijack) and, for exactly that request shape, turns <c>Content-Length</c>
/// into <see cref="BodyLengthHeader"/>: Kestrel then sees an upgradable request whose body bytes
/// are the start of the raw stream, and the endpoint reads that many bytes before it upgrades.
/// Everything else passes through untouched.
/// </summary>
public static partial class UpgradeWithBody
{
    public const string BodyLengthHeader = "X-Wharf-Upgrade-Body-Length";

    private const int MaxHead = 64 * 1024;

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async context =>
    {
        var inner = context.Transport;
        var pipe = new Pipe();
        var pump = PumpAsync(inner.Input, pipe.Writer);
        context.Transport = new Duplex(pipe.Reader, inner.Output);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            // The pump may be waiting for bytes that will never come.
            inner.Input.CancelPendingRead();
            await pump.ConfigureAwait(false);
        }
    };

    private static async Task PumpAsync(PipeReader input, PipeWriter output)
    {
        Exception? error = null;
        try
        {
            if (!await RewriteFirstHeadAsync(input, output).ConfigureAwait(false))
            {
                return;
            }
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    return;
                }
                foreach (var segment in result.Buffer)
                {
                    await output.WriteAsync(segment).ConfigureAwait(false);
                }
                input.AdvanceTo(result.Buffer.End);
                var flush = await output.FlushAsync().ConfigureAwait(false);
                if (result.IsCompleted || flush.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ConnectionResetException or OperationCanceledException)
        {
            error = e;
        }
        finally
        {
            await output.CompleteAsync(error).ConfigureAwait(false);
            await input.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Forwards the first request head (rewritten when it is an exec start hijack); false when the connection ended.</summary>
    private static async Task<bool> RewriteFirstHeadAsync(PipeReader input, PipeWriter output)
    {
        while (true)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            if (result.IsCanceled)
            {
                return false;
            }
            var buffer = result.Buffer;
            if (FindHead(buffer) is { } end)
            {
                var text = Encoding.Latin1.GetString(buffer.Slice(0, end));
                await output.WriteAsync(Encoding.Latin1.GetBytes(Rewrite(text))).ConfigureAwait(false);
                input.AdvanceTo(end);
                return !(await output.FlushAsync().ConfigureAwait(false)).IsCompleted;
            }
            if (result.IsCompleted || buffer.Length > MaxHead)
            {
                // Not HTTP we rewrite: let Kestrel judge the bytes as they are.
                foreach (var segment in buffer)
                {
                    await output.WriteAsync(segment).ConfigureAwait(false);
                }
                input.AdvanceTo(buffer.End);
                return !result.IsCompleted && !(await output.FlushAsync().ConfigureAwait(false)).IsCompleted;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Where the request head ends (after its blank line), or null while incomplete.</summary>
    private static SequencePosition? FindHead(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, HeadEnd, advancePastDelimiter: true) ? reader.Position : null;
    }

    /// <summary>The head with Content-Length renamed, when it is a POST to /exec/ID/start asking for an upgrade with a body.</summary>
    internal static string Rewrite(string head)
    {
        var lines = head.Split("\r\n");
        if (!ExecStart().IsMatch(lines[0]))
        {
            return head;
        }
        int? lengthLine = null;
        var upgrade = false;
        for (var i = 1; i < lines.Length && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var name = lines[i][..colon].Trim();
            var value = lines[i][(colon + 1)..].Trim();
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                return head;
            }
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (lengthLine is not null || !long.TryParse(value, global::System.Globalization.NumberStyles.None, global::System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0)
                {
                    return head;
                }
                lengthLine = i;
            }
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                && value.Split(',').Any(t => t.Trim().Equals("upgrade", StringComparison.OrdinalIgnoreCase)))
            {
                upgrade = true;
            }
        }
        if (!upgrade || lengthLine is not { } l)
        {
            return head;
        }
        lines[l] = BodyLengthHeader + ":" + lines[l][(lines[l].IndexOf(':', StringComparison.Ordinal) + 1)..];
        return string.Join("\r\n", lines);
    }

    [GeneratedRegex(@"^POST (/v[0-9]+(\.[0-9]+)?)?/exec/[^/?# ]+/start(\?[^ ]*)? HTTP/1\.1$")]
    private static partial Regex ExecStart();

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
