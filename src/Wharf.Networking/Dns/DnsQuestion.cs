using System.Buffers.Binary;
using System.Text;

namespace Wharf.Networking.Dns;

/// <summary>
/// The one question of a standard DNS query (RFC 1035 §4.1): the message ID, the name
/// (lower-case, without the final dot), type and class, and where the question section ends
/// (a reply repeats the query's bytes up to there).
/// </summary>
internal sealed record DnsQuestion(ushort Id, ushort Flags, string Name, ushort Type, ushort Class, int End)
{
    public const ushort TypeA = 1;
    public const ushort TypePtr = 12;
    public const ushort TypeAaaa = 28;
    public const ushort ClassIn = 1;

    private const int HeaderLength = 12;
    private const int MaxNameLength = 255;

    /// <summary>Whether the query asked for recursion (RD), echoed in the reply.</summary>
    public bool RecursionDesired => (Flags & 0x0100) != 0;

    /// <summary>
    /// Reads a query with exactly one question and no compression in it. Null for anything else
    /// (a response, another opcode, a truncated or malformed message): such input gets no answer.
    /// </summary>
    public static DnsQuestion? TryParse(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderLength + 5)
        {
            return null;
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var authority = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        if ((flags & 0x8000) != 0 || ((flags >> 11) & 0xF) != 0 || questions != 1 || answers != 0 || authority != 0)
        {
            return null;
        }

        var name = new StringBuilder();
        var pos = HeaderLength;
        while (true)
        {
            if (pos >= message.Length)
            {
                return null;
            }

            int length = message[pos++];
            if (length == 0)
            {
                break;
            }

            if (length > 63 || pos + length > message.Length || name.Length + length + 1 > MaxNameLength)
            {
                return null;
            }

            if (name.Length > 0)
            {
                name.Append('.');
            }

            foreach (var b in message.Slice(pos, length))
            {
                if (b is (byte)'.' or < 0x21 or > 0x7E)
                {
                    return null;
                }

                name.Append(char.ToLowerInvariant((char)b));
            }

            pos += length;
        }

        if (pos + 4 > message.Length)
        {
            return null;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
        var cls = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 2)..]);
        return new DnsQuestion(id, flags, name.ToString(), type, cls, pos + 4);
    }
}
