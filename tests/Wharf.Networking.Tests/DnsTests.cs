using System.Buffers.Binary;
using System.Net;
using Wharf.Core.Networks;
using Wharf.Networking.Dns;

namespace Wharf.Networking.Tests;

public sealed class DnsTests
{
    private static readonly DnsNames.Scope[] Scopes =
    [
        new("front", [
            new NetworkContainer("a1b2c3d4e5f6a7b8", "web", "e1", "02:42:0a:00:00:02", "10.0.0.2/24") { Aliases = ["www", "a1b2c3d4e5f6"] },
            new NetworkContainer("ffeeddccbbaa0011", "api", "e2", "02:42:0a:00:00:03", "10.0.0.3/24") { Aliases = ["www"] },
        ]),
        new("back", [
            new NetworkContainer("0011223344556677", "db", "e3", "02:42:0a:01:00:02", "10.1.0.2/24"),
        ]),
    ];

    [Fact]
    public void AQueryIsReadWithItsNameInLowerCase()
    {
        var q = DnsQuestion.TryParse(Query(0x1234, "Web.Front", DnsQuestion.TypeA));

        Assert.NotNull(q);
        Assert.Equal(0x1234, q.Id);
        Assert.Equal("web.front", q.Name);
        Assert.Equal(DnsQuestion.TypeA, q.Type);
        Assert.True(q.RecursionDesired);
        Assert.Equal(12 + 11 + 4, q.End);
    }

    [Theory]
    [InlineData(0)] // header only
    [InlineData(1)] // a response, not a query
    [InlineData(2)] // two questions
    [InlineData(3)] // a label running past the end
    [InlineData(4)] // a compression pointer in the question
    public void AnythingButAPlainQueryIsIgnored(int kind)
    {
        var q = Query(7, "web", DnsQuestion.TypeA);
        byte[] bad = kind switch
        {
            0 => q[..12],
            1 => Flip(q, 2, 0x80),
            2 => Set16(q, 4, 2),
            3 => q[..15],
            _ => [.. q[..12], 0xC0, 0x0C, 0, 1, 0, 1],
        };

        Assert.Null(DnsQuestion.TryParse(bad));
    }

    [Fact]
    public void NamesAliasesShortIdsAndNetworkSuffixesResolveToEveryMatchingAddress()
    {
        Assert.Equal(["10.0.0.2"], Addresses("web"));
        Assert.Equal(["10.0.0.2"], Addresses("WEB.front"));
        Assert.Equal(["10.0.0.2"], Addresses("a1b2c3d4e5f6"));
        Assert.Equal(["10.0.0.2", "10.0.0.3"], Addresses("www"));
        Assert.Equal(["10.1.0.2"], Addresses("db.back"));
        Assert.Equal(DnsNames.Outcome.Forward, Resolve("db.front", DnsQuestion.TypeA).Outcome);
        Assert.Equal(DnsNames.Outcome.Forward, Resolve("example.org", DnsQuestion.TypeA).Outcome);
    }

    [Fact]
    public void AKnownNameWithoutIpv6GetsAnEmptyAnswerAndReverseLookupsNameTheNetwork()
    {
        Assert.Equal(DnsNames.Outcome.NoData, Resolve("web", DnsQuestion.TypeAaaa).Outcome);
        var ptr = Resolve("3.0.0.10.in-addr.arpa", DnsQuestion.TypePtr);
        Assert.Equal(DnsNames.Outcome.Pointer, ptr.Outcome);
        Assert.Equal("api.front", ptr.Pointer);
        Assert.Equal(DnsNames.Outcome.Forward, Resolve("9.9.9.9.in-addr.arpa", DnsQuestion.TypePtr).Outcome);
    }

    [Fact]
    public void ARepliesEchoesTheQuestionAndPointsItsRecordsAtIt()
    {
        var query = Query(0xBEEF, "www", DnsQuestion.TypeA);
        var q = DnsQuestion.TryParse(query)!;
        var reply = DnsReply.Addresses(query, q, [IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.3")]);

        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16BigEndian(reply));
        Assert.Equal(0x8180, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(2)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(4)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(6)));
        Assert.Equal(query[12..q.End], reply[12..q.End]);
        var first = reply.AsSpan(q.End);
        Assert.Equal(0xC00C, BinaryPrimitives.ReadUInt16BigEndian(first));
        Assert.Equal(DnsReply.Ttl, BinaryPrimitives.ReadUInt32BigEndian(first[6..]));
        Assert.Equal(new byte[] { 10, 0, 0, 2 }, first.Slice(12, 4).ToArray());
        Assert.Equal(q.End + 32, reply.Length);

        var failed = DnsReply.Empty(query, q, DnsReply.ServerFailure);
        Assert.Equal(0x8182, BinaryPrimitives.ReadUInt16BigEndian(failed.AsSpan(2)));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(failed.AsSpan(6)));

        Assert.Equal(new byte[] { 3, (byte)'a', (byte)'p', (byte)'i', 5, (byte)'f', (byte)'r', (byte)'o', (byte)'n', (byte)'t', 0 }, DnsReply.EncodeName("api.front"));
    }

    [Fact]
    public void TheSandboxNatTableSendsPort53ToTheServersPortsAndNothingElse()
    {
        var rules = NetworkService.DnatRules(40001, 40002).Split('\n');

        Assert.Equal("*nat", rules[0]);
        Assert.Contains("-A OUTPUT -d 127.0.0.11/32 -p udp --dport 53 -j DNAT --to-destination 127.0.0.11:40001", rules);
        Assert.Contains("-A OUTPUT -d 127.0.0.11/32 -p tcp --dport 53 -j DNAT --to-destination 127.0.0.11:40002", rules);
        Assert.Contains("-A POSTROUTING -s 127.0.0.11/32 -p udp --sport 40001 -j SNAT --to-source :53", rules);
        Assert.Equal("COMMIT", rules[^2]);
        Assert.Equal(4, rules.Count(r => r.StartsWith(':')));
        Assert.Equal(4, rules.Count(r => r.StartsWith("-A ", StringComparison.Ordinal)));
    }

    private static string[] Addresses(string name)
    {
        var answer = Resolve(name, DnsQuestion.TypeA);
        Assert.Equal(DnsNames.Outcome.Addresses, answer.Outcome);
        return [.. answer.Addresses.Select(a => a.ToString())];
    }

    private static DnsNames.Answer Resolve(string name, ushort type)
        => DnsNames.Resolve(DnsQuestion.TryParse(Query(1, name, type))!, Scopes);

    private static byte[] Query(ushort id, string name, ushort type)
    {
        var bytes = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        bytes.AddRange(DnsReply.EncodeName(name));
        bytes.AddRange([(byte)(type >> 8), (byte)type, 0, 1]);
        return [.. bytes];
    }

    private static byte[] Flip(byte[] data, int at, byte bits)
    {
        var copy = data.ToArray();
        copy[at] ^= bits;
        return copy;
    }

    private static byte[] Set16(byte[] data, int at, ushort value)
    {
        var copy = data.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at), value);
        return copy;
    }
}
