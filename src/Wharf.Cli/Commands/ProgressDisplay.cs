using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>
/// Docker's terminal progress display: one line per layer id, redrawn in place (cursor up,
/// clear line) as its status and bar change; other lines print as they come. Without a terminal
/// it prints the plain status lines, as docker does.
/// </summary>
internal static class ProgressDisplay
{
    public static async Task DisplayAsync(Stream body, TextWriter output, bool terminal, CancellationToken cancellationToken)
    {
        if (!terminal)
        {
            await ProgressPrinter.DisplayAsync(body, output, cancellationToken).ConfigureAwait(false);
            return;
        }

        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var count = 0;
        await foreach (var m in JsonMessageReader.ReadMessagesAsync(body, cancellationToken).ConfigureAwait(false))
        {
            if (m.Error is { } error)
            {
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                throw new CliErrorException(error);
            }

            if (m.Stream is { } stream)
            {
                await output.WriteAsync(stream).ConfigureAwait(false);
                continue;
            }

            if (m.Status is not { } status)
            {
                continue;
            }

            var text = m.Id is { Length: > 0 } id ? $"{id}: {status}" + (m.Progress is { } p ? " " + p : "") : status;
            if (m.Id is { Length: > 0 } key && !(status.StartsWith("Pulling from", StringComparison.Ordinal) || status.StartsWith("Digest:", StringComparison.Ordinal)))
            {
                if (lines.TryGetValue(key, out var index))
                {
                    var up = count - index;
                    await output.WriteAsync($"\u001b[{up}A\r\u001b[2K{text}\r\u001b[{up}B").ConfigureAwait(false);
                }
                else
                {
                    lines[key] = count++;
                    await output.WriteAsync($"\u001b[2K{text}\n").ConfigureAwait(false);
                }
            }
            else
            {
                count++;
                await output.WriteAsync(text + "\n").ConfigureAwait(false);
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
