using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Wharf.Core.Containers;

namespace Wharf.Engine.Containers;

/// <summary>
/// Reads Docker's json-file logs (<c>{"log":..,"stream":..,"time":..}</c> per line) across rotated
/// files (<c>log.N</c> … <c>log.1</c>, then <c>log</c>), with since/until/tail, and follows the live
/// file until the container exits.
/// </summary>
internal static class JsonFileLog
{
    public static async IAsyncEnumerable<LogEntry> ReadAsync(string path, LogOptions options, Task? exited, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var files = RotatedFiles(path);
        var entries = new List<LogEntry>();
        long livePosition = 0;
        foreach (var file in files)
        {
            var (read, end) = await ReadFileAsync(file, 0, options, cancellationToken).ConfigureAwait(false);
            entries.AddRange(read);
            if (file == path)
            {
                livePosition = end;
            }
        }

        if (options.Tail >= 0 && entries.Count > options.Tail)
        {
            entries = entries[^options.Tail..];
        }

        foreach (var e in entries)
        {
            yield return e;
        }

        if (exited is null)
        {
            yield break;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var done = exited.IsCompleted;
            var length = File.Exists(path) ? new FileInfo(path).Length : 0;
            if (length < livePosition)
            {
                // Rotated: the live file starts over.
                livePosition = 0;
            }

            if (length > livePosition)
            {
                var (read, end) = await ReadFileAsync(path, livePosition, options, cancellationToken).ConfigureAwait(false);
                livePosition = end;
                foreach (var e in read)
                {
                    yield return e;
                }
            }

            if (done)
            {
                yield break;
            }

            try
            {
                await Task.WhenAny(exited, Task.Delay(100, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private static List<string> RotatedFiles(string path)
    {
        var files = new List<string>();
        for (var i = 1; File.Exists(path + "." + i); i++)
        {
            files.Insert(0, path + "." + i);
        }

        if (File.Exists(path))
        {
            files.Add(path);
        }

        return files;
    }

    /// <summary>Reads complete lines from <paramref name="offset"/>; returns the entries and the offset after the last complete line.</summary>
    private static async Task<(List<LogEntry> Entries, long End)> ReadFileAsync(string file, long offset, LogOptions options, CancellationToken cancellationToken)
    {
        var result = new List<LogEntry>();
        byte[] data;
        try
        {
            await using var f = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous);
            f.Seek(offset, SeekOrigin.Begin);
            data = new byte[f.Length - offset];
            await f.ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return (result, offset);
        }

        var start = 0;
        while (true)
        {
            var nl = Array.IndexOf(data, (byte)'\n', start);
            if (nl < 0)
            {
                break;
            }

            if (Parse(data.AsSpan(start, nl - start)) is { } e
                && ((e.Stream == 1 && options.Stdout) || (e.Stream == 2 && options.Stderr))
                && (options.Since is null || e.Time >= options.Since)
                && (options.Until is null || e.Time <= options.Until))
            {
                result.Add(e);
            }

            start = nl + 1;
        }

        return (result, offset + start);
    }

    internal static LogEntry? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line);
            string? log = null, stream = null, time = null;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    var prop = reader.GetString();
                    reader.Read();
                    switch (prop)
                    {
                        case "log": log = reader.GetString(); break;
                        case "stream": stream = reader.GetString(); break;
                        case "time": time = reader.GetString(); break;
                    }
                }
            }

            if (log is null || time is null || !DateTimeOffset.TryParse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t))
            {
                return null;
            }

            return new LogEntry(stream == "stderr" ? 2 : 1, t, Encoding.UTF8.GetBytes(log));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
