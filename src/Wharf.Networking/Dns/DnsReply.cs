using System.Buffers.Binary;
using System.Net;

namespace Wharf.Networking.Dns;

/// <summary>
/// Replies the embedded server makes itself: the query's header and question echoed with the
/// response bit, recursion available, the given result code and answer records whose owner
/// name points back at the question (name compression, offset 12).
/// </summary>
internal static class DnsReply
{
    public const int NoError = 0;
    public const int ServerFailure = 2;
    public const int NameError = 3;
    public const int Refused = 5;

    /// <summary>Seconds a client may keep an answer about a container (Docker's resolver uses 600).</summary>
    public const uint Ttl = 600;

    public static byte[] Addresses(ReadOnlySpan<byte> query, DnsQuestion question, IReadOnlyList<IPAddress> addresses)
    {
        var records = addresses.Select(a => a.GetAddressBytes()).ToList();
        return Build(query, question, NoError, records);
    }

    public static byte[] Pointer(ReadOnlySpan<byte> query, DnsQuestion question, string target)
        => Build(query, question, NoError, [EncodeName(target)]);

    public static byte[] Empty(ReadOnlySpan<byte> query, DnsQuestion question, int rcode)
        => Build(query, question, rcode, []);

    /// <summary>A name in wire form: length-prefixed labels and the zero root label.</summary>
    public static byte[] EncodeName(string name)
    {
        var labels = name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
        var result = new List<byte>();
        foreach (var label in labels)
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(label);
            result.Add((byte)Math.Min(bytes.Length, 63));
            result.AddRange(bytes.Take(63));
        }

        result.Add(0);
        return [.. result];
    }

    private static byte[] Build(ReadOnlySpan<byte> query, DnsQuestion question, int rcode, IReadOnlyList<byte[]> rdatas)
    {
        var size = question.End + rdatas.Sum(r => 12 + r.Length);
        var reply = new byte[size];
        query[..question.End].CopyTo(reply);
        var flags = (ushort)(0x8000 | (question.Flags & 0x0100) | 0x0080 | (rcode & 0xF));
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), flags);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)rdatas.Count);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(10), 0);
        var pos = question.End;
        foreach (var rdata in rdatas)
        {
            var span = reply.AsSpan(pos);
            BinaryPrimitives.WriteUInt16BigEndian(span, 0xC00C);
            BinaryPrimitives.WriteUInt16BigEndian(span[2..], question.Type);
            BinaryPrimitives.WriteUInt16BigEndian(span[4..], DnsQuestion.ClassIn);
            BinaryPrimitives.WriteUInt32BigEndian(span[6..], Ttl);
            BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)rdata.Length);
            rdata.CopyTo(span[12..]);
            pos += 12 + rdata.Length;
        }

        return reply;
    }
}
