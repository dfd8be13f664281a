using Wharf.Api.Streams;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>
/// Pumps an attached connection as the docker CLI's hijackedIOStreamer does: with a tty and
/// stdin the local terminal goes raw (the container's pty does the echo and line editing) and
/// the detach sequence is watched for on this side, so the CLI knows it detached rather than
/// waiting for an exit; the terminal is restored as soon as output ends, and in any case on return.
/// </summary>
internal static class AttachStreamer
{
    /// <summary>Returns true when the user typed the detach sequence; false when output ended.</summary>
    public static async Task<bool> StreamAsync(CommandContext context, HijackedStream conn, bool stdin, bool tty, byte[] detachKeys, CancellationToken cancellationToken)
    {
        var stdout = context.OpenStandardOutput();
        var stderr = LocalTerminal.OpenStandardError();
        var rawMode = stdin && tty && context.IsStdinTerminal ? context.Terminal.MakeInputRaw() : null;
        int restored = 0;
        void Restore()
        {
            if (Interlocked.Exchange(ref restored, 1) == 0)
            {
                rawMode?.Dispose();
            }
        }

        // SIGTERM ends the process through ProcessExit, skipping finally blocks.
        EventHandler restoreOnExit = (_, _) => Restore();
        AppDomain.CurrentDomain.ProcessExit += restoreOnExit;
        try
        {
            var output = Task.Run(
                async () =>
                {
                    try
                    {
                        if (tty)
                        {
                            await StdStreams.CopyRawAsync(conn, stdout, cancellationToken).ConfigureAwait(false);
                        }
                        else
                        {
                            await StdStreams.DemuxAsync(conn, stdout, stderr, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (Exception e) when (e is IOException or ObjectDisposedException)
                    {
                    }

                    // Later messages ("Error response ...") must print on a sane terminal.
                    Restore();
                },
                cancellationToken);
            if (!stdin)
            {
                await output.ConfigureAwait(false);
                return false;
            }

            // Reading stdin blocks a thread and cannot be cancelled; when output ends first the
            // read is left behind and ends with the process.
            var input = Task.Run(() => PumpInputAsync(context, conn, tty ? detachKeys : null, cancellationToken), cancellationToken);
            if (await Task.WhenAny(output, input).ConfigureAwait(false) == output)
            {
                return false;
            }

            if (await input.ConfigureAwait(false))
            {
                return true;
            }

            await output.ConfigureAwait(false);
            return false;
        }
        finally
        {
            Restore();
            AppDomain.CurrentDomain.ProcessExit -= restoreOnExit;
        }
    }

    /// <summary>Copies stdin to the connection; true when the detach sequence was read.</summary>
    private static async Task<bool> PumpInputAsync(CommandContext context, HijackedStream conn, byte[]? detachKeys, CancellationToken cancellationToken)
    {
        var matcher = detachKeys is null ? null : new DetachKeyMatcher(detachKeys);
        var buffer = new byte[16 * 1024];
        var filtered = new byte[matcher?.MaxOutput(buffer.Length) ?? 0];
        try
        {
            var input = context.OpenStandardInput();
            while (true)
            {
                int n = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    if (matcher is { Pending: > 0 })
                    {
                        await conn.WriteAsync(filtered.AsMemory(0, matcher.Flush(filtered)), cancellationToken).ConfigureAwait(false);
                    }

                    break;
                }

                if (matcher is null)
                {
                    await conn.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                int forward = matcher.Filter(buffer.AsSpan(0, n), filtered);
                if (forward > 0)
                {
                    await conn.WriteAsync(filtered.AsMemory(0, forward), cancellationToken).ConfigureAwait(false);
                }

                if (matcher.Detached)
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }

        conn.CloseWrite();
        return false;
    }

    /// <summary>The keys from <c>--detach-keys</c> (default ctrl-p,ctrl-q); a bad value is the docker CLI's error.</summary>
    public static byte[] ParseKeys(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return DetachKeys.Default.ToArray();
        }

        return DetachKeys.TryParse(text, out var keys, out var error)
            ? keys
            : throw new CliErrorException($"invalid detach keys ({text}): {error}");
    }
}
