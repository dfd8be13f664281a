using System.Text;
using Wharf.Api.Streams;

namespace Wharf.Api.Tests.Streams;

public sealed class DetachKeyMatcherTests
{
    private const byte P = 0x10;
    private const byte Q = 0x11;

    /// <summary>Feeds the chunks one by one; returns what was forwarded and whether it detached.</summary>
    private static (byte[] Forwarded, bool Detached) Run(byte[] keys, params byte[][] chunks)
    {
        var m = new DetachKeyMatcher(keys);
        var output = new List<byte>();
        foreach (var chunk in chunks)
        {
            var dest = new byte[m.MaxOutput(chunk.Length)];
            int n = m.Filter(chunk, dest);
            output.AddRange(dest.AsSpan(0, n).ToArray());
        }

        if (!m.Detached)
        {
            var rest = new byte[keys.Length];
            output.AddRange(rest.AsSpan(0, m.Flush(rest)).ToArray());
        }

        return ([.. output], m.Detached);
    }

    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void PlainInputPassesThrough()
    {
        var (fwd, detached) = Run([P, Q], B("echo hi\r"));
        Assert.False(detached);
        Assert.Equal(B("echo hi\r"), fwd);
    }

    [Fact]
    public void FullSequenceDetachesAndIsNotForwarded()
    {
        var (fwd, detached) = Run([P, Q], [.. B("ls"), P, Q, .. B("after")]);
        Assert.True(detached);
        Assert.Equal(B("ls"), fwd);
    }

    [Fact]
    public void SequenceSplitAcrossReadsDetaches()
    {
        var (fwd, detached) = Run([P, Q], B("ab"), [P], [Q]);
        Assert.True(detached);
        Assert.Equal(B("ab"), fwd);
    }

    [Fact]
    public void HeldPrefixIsNotForwardedUntilTheSequenceBreaks()
    {
        var m = new DetachKeyMatcher([P, Q]);
        var dest = new byte[8];
        Assert.Equal(1, m.Filter([(byte)'x', P], dest));
        Assert.Equal(1, m.Pending);
        Assert.Equal(2, m.Filter([(byte)'y'], dest));
        Assert.Equal(new byte[] { P, (byte)'y' }, dest[..2]);
        Assert.False(m.Detached);
    }

    [Fact]
    public void BrokenPartialMatchIsForwardedInOrder()
    {
        var (fwd, detached) = Run([P, Q], [P, (byte)'a', P], [(byte)'b']);
        Assert.False(detached);
        Assert.Equal(new byte[] { P, (byte)'a', P, (byte)'b' }, fwd);
    }

    [Fact]
    public void ByteThatBreaksAMatchCanStartANewOne()
    {
        var (fwd, detached) = Run([P, Q], [(byte)'a', P, P, Q]);
        Assert.True(detached);
        Assert.Equal(new byte[] { (byte)'a', P }, fwd);
    }

    [Fact]
    public void RepetitiveSequenceUsesItsBorders()
    {
        // keys a,a,b: "aaab" contains it at the end; the first 'a' is forwarded.
        var (fwd, detached) = Run(B("aab"), B("aaab"));
        Assert.True(detached);
        Assert.Equal(B("a"), fwd);

        (fwd, detached) = Run(B("abac"), B("ababac"));
        Assert.True(detached);
        Assert.Equal(B("ab"), fwd);

        (fwd, detached) = Run(B("abac"), B("abab"), B("x"));
        Assert.False(detached);
        Assert.Equal(B("ababx"), fwd);
    }

    [Fact]
    public void SingleKeySequence()
    {
        var (fwd, detached) = Run([0x01], B("ab"), [0x01, (byte)'c']);
        Assert.True(detached);
        Assert.Equal(B("ab"), fwd);
    }

    [Fact]
    public void EmptySequenceNeverDetaches()
    {
        var (fwd, detached) = Run([], [P, Q, .. B("x")]);
        Assert.False(detached);
        Assert.Equal(new byte[] { P, Q, (byte)'x' }, fwd);
    }

    [Fact]
    public void PendingBytesComeBackOnFlushAtEndOfInput()
    {
        var (fwd, detached) = Run([P, Q], B("a"), [P]);
        Assert.False(detached);
        Assert.Equal(new byte[] { (byte)'a', P }, fwd);
    }

    [Fact]
    public void NothingIsForwardedAfterDetach()
    {
        var m = new DetachKeyMatcher([P, Q]);
        var dest = new byte[16];
        Assert.Equal(0, m.Filter([P, Q], dest));
        Assert.True(m.Detached);
        Assert.Equal(0, m.Filter(B("more"), dest));
    }

    [Fact]
    public void TooSmallDestinationIsRefused()
    {
        var m = new DetachKeyMatcher([P, Q]);
        Assert.Throws<ArgumentException>(() => m.Filter(B("abc"), new byte[2]));
    }

    [Fact]
    public void RandomInputMatchesANaiveSearch()
    {
        var rng = new Random(42);
        for (int round = 0; round < 2000; round++)
        {
            var keys = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => (byte)rng.Next(0, 3)).ToArray();
            var input = Enumerable.Range(0, rng.Next(0, 12)).Select(_ => (byte)rng.Next(0, 3)).ToArray();
            var chunks = new List<byte[]>();
            for (int i = 0; i < input.Length;)
            {
                int len = rng.Next(1, input.Length - i + 1);
                chunks.Add(input[i..(i + len)]);
                i += len;
            }

            var (fwd, detached) = Run(keys, [.. chunks]);
            int at = input.AsSpan().IndexOf(keys);
            Assert.Equal(at >= 0, detached);
            Assert.Equal(at >= 0 ? input[..at] : input, fwd);
        }
    }
}
