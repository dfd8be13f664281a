using System.Globalization;
using System.Net;
using Wharf.Core.Networks;

namespace Wharf.Networking.Dns;

/// <summary>
/// What the embedded server knows without asking anyone: the names of the containers that
/// share a user-defined network with the asking container. A name is a container's name, one
/// of its aliases on that network (its short ID among them), or either followed by
/// <c>.&lt;network&gt;</c>; reverse lookups of their addresses give <c>name.network</c>.
/// Names are compared without regard to case. Pure: the members come in as arguments.
/// </summary>
internal static class DnsNames
{
    /// <summary>A network the asking container is on, with its running members.</summary>
    public sealed record Scope(string NetworkName, IReadOnlyList<NetworkContainer> Members);

    public enum Outcome
    {
        /// <summary>Not a name of this engine: ask the upstream resolvers.</summary>
        Forward,

        /// <summary>A container's name, answered with <see cref="Answer.Addresses"/>.</summary>
        Addresses,

        /// <summary>A container's name, but a type it has no records of (AAAA without IPv6): an empty answer.</summary>
        NoData,

        /// <summary>A container's address, answered with <see cref="Answer.Pointer"/>.</summary>
        Pointer,
    }

    public sealed record Answer(Outcome Outcome, IReadOnlyList<IPAddress> Addresses, string Pointer)
    {
        public static readonly Answer Forward = new(Outcome.Forward, [], "");
    }

    public static Answer Resolve(DnsQuestion question, IReadOnlyList<Scope> scopes)
    {
        if (question.Class != DnsQuestion.ClassIn)
        {
            return Answer.Forward;
        }

        if (question.Type == DnsQuestion.TypePtr)
        {
            return ReverseAddress(question.Name) is { } address && Reverse(address, scopes) is { } target
                ? new Answer(Outcome.Pointer, [], target)
                : Answer.Forward;
        }

        var found = new List<IPAddress>();
        foreach (var scope in scopes)
        {
            var name = question.Name;
            var suffix = "." + scope.NetworkName.ToLowerInvariant();
            var local = name.EndsWith(suffix, StringComparison.Ordinal) ? name[..^suffix.Length] : name;
            foreach (var member in scope.Members)
            {
                if ((Matches(member, name) || (local.Length != name.Length && Matches(member, local))) && AddressOf(member) is { } address && !found.Contains(address))
                {
                    found.Add(address);
                }
            }
        }

        if (found.Count == 0)
        {
            return Answer.Forward;
        }

        return question.Type == DnsQuestion.TypeA ? new Answer(Outcome.Addresses, found, "") : new Answer(Outcome.NoData, [], "");
    }

    private static bool Matches(NetworkContainer member, string name)
        => string.Equals(member.Name.TrimStart('/'), name, StringComparison.OrdinalIgnoreCase)
            || member.Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));

    private static IPAddress? AddressOf(NetworkContainer member)
    {
        var text = member.IPv4Address;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return IPAddress.TryParse(slash < 0 ? text : text[..slash], out var address) ? address : null;
    }

    private static string? Reverse(IPAddress address, IReadOnlyList<Scope> scopes)
    {
        foreach (var scope in scopes)
        {
            foreach (var member in scope.Members)
            {
                if (address.Equals(AddressOf(member)))
                {
                    return member.Name.TrimStart('/') + "." + scope.NetworkName;
                }
            }
        }

        return null;
    }

    /// <summary>The IPv4 address of a <c>d.c.b.a.in-addr.arpa</c> name, or null.</summary>
    private static IPAddress? ReverseAddress(string name)
    {
        const string Suffix = ".in-addr.arpa";
        if (!name.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = name[..^Suffix.Length].Split('.');
        if (parts.Length != 4)
        {
            return null;
        }

        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (!byte.TryParse(parts[3 - i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return null;
            }
        }

        return new IPAddress(bytes);
    }
}
