using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wharf.Client;

/// <summary>Reads a stream of concatenated or newline-separated JSON objects.</summary>
public static class JsonMessageReader
{
    public static async IAsyncEnumerable<JsonMessage> ReadMessagesAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var node in ReadObjectsAsync(stream, cancellationToken).ConfigureAwait(false))
        {
            yield return JsonMessage.FromJson(node);
        }
    }

    /// <summary>Yields each top-level JSON object as soon as its closing brace arrives (events stream this way).</summary>
    public static async IAsyncEnumerable<JsonObject> ReadObjectsAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new byte[16 * 1024];
        var pending = new MemoryStream();
        int depth = 0;
        bool inString = false, escape = false;
        while (true)
        {
            int n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                yield break;
            }
            int start = 0;
            for (int i = 0; i < n; i++)
            {
                byte b = buffer[i];
                if (inString)
                {
                    if (escape)
                    {
                        escape = false;
                    }
                    else if (b == (byte)'\\')
                    {
                        escape = true;
                    }
                    else if (b == (byte)'"')
                    {
                        inString = false;
                    }
                    continue;
                }
                if (b == (byte)'"')
                {
                    inString = true;
                }
                else if (b == (byte)'{' || b == (byte)'[')
                {
                    if (depth == 0)
                    {
                        pending.SetLength(0);
                        start = i;
                    }
                    depth++;
                }
                else if ((b == (byte)'}' || b == (byte)']') && depth > 0)
                {
                    depth--;
                    if (depth == 0)
                    {
                        pending.Write(buffer, start, i + 1 - start);
                        start = i + 1;
                        var node = JsonNode.Parse(pending.ToArray());
                        pending.SetLength(0);
                        if (node is JsonObject o)
                        {
                            yield return o;
                        }
                    }
                }
                else if (depth == 0)
                {
                    start = i + 1;
                }
            }
            if (depth > 0)
            {
                pending.Write(buffer, start, n - start);
            }
        }
    }

    internal static JsonNode? ParseOrNull(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
