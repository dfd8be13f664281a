using System.Globalization;
using System.Text.Json;
using Wharf.Core.Containers;

namespace Wharf.Runtime.Runc;

/// <summary>Parsers for what the shim and runc print or write (formats in src/wharf-shim/README.md).</summary>
internal static class ShimFiles
{
    /// <summary>The shim's <c>exit</c> file; null when it is absent or not (yet) complete JSON.</summary>
    public static RuntimeExit? ReadExit(string path)
    {
        var text = ProcFs.TryRead(path);
        return text is null ? null : ParseExit(text);
    }

    internal static RuntimeExit? ParseExit(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var code = root.GetProperty("exitCode").GetInt32();
            var at = root.TryGetProperty("exitedAt", out var t) && t.GetString() is { } s ? ParseTime(s) : DateTimeOffset.UnixEpoch;
            var oom = root.TryGetProperty("oomKilled", out var o) && o.ValueKind == JsonValueKind.True;
            return new RuntimeExit(code, at, oom);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>RFC 3339 with up to 9 fraction digits (Go's RFC3339Nano); .NET keeps 7.</summary>
    internal static DateTimeOffset ParseTime(string s)
    {
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            var end = dot + 1;
            while (end < s.Length && char.IsAsciiDigit(s[end]))
            {
                end++;
            }
            if (end - dot - 1 > 7)
            {
                s = string.Concat(s.AsSpan(0, dot + 8), s.AsSpan(end));
            }
        }
        return DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    /// <summary>The starter's one JSON line: <c>{"shimPid":N,"initPid":M}</c> or <c>{"error":"..."}</c>.</summary>
    internal static (int ShimPid, int InitPid, string? Error) ParseVerdict(string stdout)
    {
        var line = stdout.Trim();
        if (line.Length == 0)
        {
            return (0, 0, null);
        }
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                return (0, 0, error.GetString() ?? "");
            }
            return (root.GetProperty("shimPid").GetInt32(), root.GetProperty("initPid").GetInt32(), null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return (0, 0, null);
        }
    }

    /// <summary>
    /// The message of runc's last error-level entry (runc runs with <c>--log-format json</c>, so its
    /// stderr is JSON lines), else stderr as it is.
    /// </summary>
    internal static string RuncError(string stderr)
    {
        string? last = null;
        foreach (var line in stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("level", out var level) && level.GetString() is "error" or "fatal"
                    && doc.RootElement.TryGetProperty("msg", out var msg) && msg.GetString() is { } m)
                {
                    last = m;
                }
            }
            catch (JsonException)
            {
                // Not one of runc's log lines.
            }
        }
        return last ?? stderr.Trim();
    }
}
