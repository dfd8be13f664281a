using System.Text;

namespace Wharf.Api.Streams;

/// <summary>
/// Docker's detach key syntax, used by the <c>detachKeys</c> parameter of attach, the
/// <c>DetachKeys</c> field of exec start and the CLI's <c>--detach-keys</c>: keys separated by
/// commas, each one character (<c>a</c>, <c>Z</c>, <c>1</c>) or <c>ctrl-X</c> with X one of
/// <c>@ a..z [ \ ] ^ _</c>, or <c>DEL</c>. Names are case-sensitive and an empty entry is invalid,
/// as in moby/term's <c>ToBytes</c> that both dockerd and the docker CLI use
/// (https://docs.docker.com/reference/cli/docker/container/attach/#detach-keys).
/// </summary>
public static class DetachKeys
{
    /// <summary>The sequence used when none is given: ctrl-p, ctrl-q.</summary>
    public const string DefaultText = "ctrl-p,ctrl-q";

    private const string ControlNames = "@abcdefghijklmnopqrstuvwxyz[\\]^_";

    /// <summary>The bytes of <see cref="DefaultText"/>.</summary>
    public static ReadOnlySpan<byte> Default => [0x10, 0x11];

    /// <summary>
    /// Parses a sequence. On failure <paramref name="error"/> is moby/term's message
    /// (<c>Unknown character: 'x'</c>) and <paramref name="keys"/> is empty.
    /// </summary>
    public static bool TryParse(string text, out byte[] keys, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var codes = new List<byte>();
        foreach (var key in text.Split(','))
        {
            // One byte of UTF-8, as Go's len(key) == 1 counts it.
            if (key.Length == 1 && key[0] < 0x80)
            {
                codes.Add((byte)key[0]);
            }
            else if (key.Length == 6 && key.StartsWith("ctrl-", StringComparison.Ordinal) && ControlNames.IndexOf(key[5], StringComparison.Ordinal) is var i and >= 0)
            {
                codes.Add((byte)i);
            }
            else if (key == "DEL")
            {
                codes.Add(0x7f);
            }
            else
            {
                keys = [];
                error = $"Unknown character: '{key}'";
                return false;
            }
        }

        keys = [.. codes];
        error = null;
        return true;
    }

    /// <summary>Renders bytes back in the syntax (for messages and tests).</summary>
    public static string Format(ReadOnlySpan<byte> keys)
    {
        var sb = new StringBuilder();
        foreach (var b in keys)
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(b switch
            {
                < 0x20 => "ctrl-" + ControlNames[b],
                0x7f => "DEL",
                _ => ((char)b).ToString(),
            });
        }

        return sb.ToString();
    }
}
