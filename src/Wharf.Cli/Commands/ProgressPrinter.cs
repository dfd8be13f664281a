using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>jsonmessage.DisplayJSONMessagesToStream for a non-terminal: status lines and streams, errors fail.</summary>
internal static class ProgressPrinter
{
    public static async Task DisplayAsync(Stream body, TextWriter output, CancellationToken cancellationToken)
    {
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
            if (m.Status is { } status)
            {
                if (m.Progress is not null || m.Current is not null)
                {
                    // Progress bars are only drawn on terminals.
                    continue;
                }
                await output.WriteLineAsync(m.Id is { Length: > 0 } id ? $"{id}: {status}" : status).ConfigureAwait(false);
            }
        }
    }
}
