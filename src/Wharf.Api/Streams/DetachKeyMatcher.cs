namespace Wharf.Api.Streams;

/// <summary>
/// Watches a stdin byte stream for a detach key sequence (see <see cref="DetachKeys"/>), as
/// dockerd does for attaches and execs with a tty and the docker CLI does on its terminal.
/// Bytes that might start the sequence are held back; once the sequence breaks they are
/// forwarded in order, so a lone ctrl-p still reaches the container. When the whole sequence
/// has been read, <see cref="Detached"/> turns true and nothing more is forwarded: neither the
/// sequence nor the bytes after it. Unlike moby/term's proxy, a byte that breaks a partial
/// match is itself considered as a new start (ctrl-p ctrl-p ctrl-q detaches), the usual
/// prefix-function matching. Not thread-safe: one instance per stream.
/// </summary>
public sealed class DetachKeyMatcher
{
    private readonly byte[] _keys;

    /// <summary>For each prefix length n, the length of its longest proper border (KMP's failure function).</summary>
    private readonly int[] _border;

    private int _matched;

    /// <summary>An empty sequence never detaches: everything passes through.</summary>
    public DetachKeyMatcher(ReadOnlySpan<byte> keys)
    {
        _keys = keys.ToArray();
        _border = new int[_keys.Length + 1];
        for (int n = 2; n <= _keys.Length; n++)
        {
            int k = _border[n - 1];
            while (k > 0 && _keys[n - 1] != _keys[k])
            {
                k = _border[k];
            }

            _border[n] = _keys[n - 1] == _keys[k] ? k + 1 : 0;
        }
    }

    /// <summary>True once the whole sequence was read.</summary>
    public bool Detached { get; private set; }

    /// <summary>How many bytes are held back because they may start the sequence.</summary>
    public int Pending => _matched;

    /// <summary>The largest output one <see cref="Filter"/> call can produce for an input of the given length.</summary>
    public int MaxOutput(int inputLength) => inputLength + _keys.Length;

    /// <summary>
    /// Feeds <paramref name="input"/>; writes the bytes to forward into <paramref name="destination"/>
    /// (at least <see cref="MaxOutput"/> long) and returns their count. After a detach it returns 0.
    /// </summary>
    public int Filter(ReadOnlySpan<byte> input, Span<byte> destination)
    {
        if (destination.Length < input.Length + _matched)
        {
            throw new ArgumentException("destination is shorter than MaxOutput(input.Length)", nameof(destination));
        }

        if (Detached)
        {
            return 0;
        }

        if (_keys.Length == 0)
        {
            input.CopyTo(destination);
            return input.Length;
        }

        int written = 0;
        foreach (var b in input)
        {
            while (_matched > 0 && b != _keys[_matched])
            {
                // The held prefix is not the sequence after all: release what cannot be part of a
                // match any more, keep the longest border that still can.
                int keep = _border[_matched];
                _keys.AsSpan(0, _matched - keep).CopyTo(destination[written..]);
                written += _matched - keep;
                _matched = keep;
            }

            if (b == _keys[_matched])
            {
                _matched++;
                if (_matched == _keys.Length)
                {
                    Detached = true;
                    _matched = 0;
                    return written;
                }
            }
            else
            {
                destination[written++] = b;
            }
        }

        return written;
    }

    /// <summary>At the end of the input: returns the held-back bytes (they were not the sequence).</summary>
    public int Flush(Span<byte> destination)
    {
        int n = _matched;
        _keys.AsSpan(0, n).CopyTo(destination);
        _matched = 0;
        return n;
    }
}
