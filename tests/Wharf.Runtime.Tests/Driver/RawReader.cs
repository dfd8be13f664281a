using System.Text;

namespace Wharf.Runtime.Tests.Driver;

/// <summary>Reads a raw (tty) attach stream, finding expected text in order.</summary>
internal sealed class RawReader(Stream stream)
{
    private readonly StringBuilder seen = new();
    private readonly byte[] buffer = new byte[4096];
    private int cursor;

    public string Seen => seen.ToString();

    /// <summary>Reads until <paramref name="text"/> appears after the previous match.</summary>
    public async Task ReadUntilAsync(string text, CancellationToken ct)
    {
        while (true)
        {
            var at = seen.ToString().IndexOf(text, cursor, StringComparison.Ordinal);
            if (at >= 0)
            {
                cursor = at + text.Length;
                return;
            }
            var n = await stream.ReadAsync(buffer, ct);
            if (n == 0)
            {
                throw new EndOfStreamException($"stream ended before \"{text}\"; got: {seen}");
            }
            seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }

    /// <summary>Reads until the shim closes the connection.</summary>
    public async Task ReadToEndAsync(CancellationToken ct)
    {
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0)
        {
            seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }
}
