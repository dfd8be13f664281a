namespace Wharf.Api.Server.Exec;

/// <summary>
/// Docker's detach keys on a tty session's stdin (moby <c>copyEscapable</c>): the key sequence is
/// held back while it matches and ends the copy when complete; a partial match that breaks off is
/// passed on as it was typed.
/// </summary>
internal static class DetachFilter
{
    /// <summary>ctrl-p,ctrl-q: Docker's default.</summary>
    public static readonly byte[] Default = [0x10, 0x11];

    /// <summary>Copies until EOF (false) or until the detach sequence was read (true).</summary>
    public static async Task<bool> CopyAsync(Stream input, Stream output, byte[] keys, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var matched = 0;
        int n;
        while ((n = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            var (forward, detached) = Scan(buffer.AsSpan(0, n), keys, ref matched);
            if (forward.Length > 0)
            {
                await output.WriteAsync(forward, cancellationToken).ConfigureAwait(false);
            }
            if (detached)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The bytes to pass on from one read, and whether the sequence completed; <paramref name="matched"/> carries a partial match over reads.</summary>
    internal static (byte[] Forward, bool Detached) Scan(ReadOnlySpan<byte> data, byte[] keys, ref int matched)
    {
        var forward = new List<byte>(data.Length + keys.Length);
        foreach (var b in data)
        {
            if (b == keys[matched])
            {
                if (++matched == keys.Length)
                {
                    return ([.. forward], true);
                }
                continue;
            }
            forward.AddRange(keys.AsSpan(0, matched));
            matched = 0;
            if (b == keys[0])
            {
                matched = 1;
                if (keys.Length == 1)
                {
                    return ([.. forward], true);
                }
                continue;
            }
            forward.Add(b);
        }
        return ([.. forward], false);
    }
}
