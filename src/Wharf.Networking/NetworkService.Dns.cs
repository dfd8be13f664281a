using System.Collections.Concurrent;
using System.Net;
using Wharf.Core.Networks;
using Wharf.Networking.Dns;

namespace Wharf.Networking;

/// <summary>
/// The embedded DNS server: containers on user-defined networks find each other by name
/// through a listener on 127.0.0.11 in their own namespace; other names go to the container's
/// upstream resolvers unless the container is only on internal networks.
/// </summary>
public sealed partial class NetworkService
{
    private readonly ConcurrentDictionary<string, DnsListener> _dns = new(StringComparer.Ordinal);

    public Task ServeNamesAsync(string containerId, IReadOnlyList<string> upstreams, CancellationToken cancellationToken)
    {
        if (_dns.ContainsKey(containerId))
        {
            return Task.CompletedTask;
        }

        var servers = upstreams
            .Select(u => IPAddress.TryParse(u, out var a) ? new IPEndPoint(a, 53) : null)
            .OfType<IPEndPoint>()
            .ToList();
        try
        {
            var listener = DnsListener.Start(_driver.SandboxPath(containerId), (query, tcp, ct) => AnswerAsync(containerId, servers, query, tcp, ct));
            return _dns.TryAdd(containerId, listener) ? Task.CompletedTask : listener.DisposeAsync().AsTask();
        }
        catch (IOException e)
        {
            // The container still runs and reaches addresses; only names of other containers fail.
            LogWarning(containerId[..12], "embedded DNS server: " + e.Message);
            return Task.CompletedTask;
        }
    }

    private async Task StopNamesAsync(string containerId)
    {
        if (_dns.TryRemove(containerId, out var listener))
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<byte[]?> AnswerAsync(string containerId, IReadOnlyList<IPEndPoint> servers, byte[] query, bool tcp, CancellationToken cancellationToken)
    {
        if (DnsQuestion.TryParse(query) is not { } question)
        {
            return null;
        }

        var (scopes, external) = DnsScopesOf(containerId);
        var answer = DnsNames.Resolve(question, scopes);
        switch (answer.Outcome)
        {
            case DnsNames.Outcome.Addresses:
                return DnsReply.Addresses(query, question, answer.Addresses);
            case DnsNames.Outcome.NoData:
                return DnsReply.Empty(query, question, DnsReply.NoError);
            case DnsNames.Outcome.Pointer:
                return DnsReply.Pointer(query, question, answer.Pointer);
        }

        var forwarded = external ? await DnsForwarder.ForwardAsync(query, servers, tcp, cancellationToken).ConfigureAwait(false) : null;
        return forwarded ?? DnsReply.Empty(query, question, DnsReply.ServerFailure);
    }

    /// <summary>The user-defined networks the container is on, with their members, and whether any of its networks reaches outside.</summary>
    private (IReadOnlyList<DnsNames.Scope> Scopes, bool External) DnsScopesOf(string containerId)
    {
        List<NetworkRecord> bridges;
        lock (_networks)
        {
            bridges = [.. _networks.Values.Where(n => n.Driver == "bridge")];
        }

        var scopes = new List<DnsNames.Scope>();
        var external = false;
        foreach (var network in bridges.OrderBy(n => n.Created))
        {
            var members = ContainersOn(network.Id);
            if (!members.Any(m => m.ContainerId == containerId))
            {
                continue;
            }

            external |= !network.Internal;
            if (network.HasEmbeddedDns)
            {
                scopes.Add(new DnsNames.Scope(network.Name, members));
            }
        }

        return (scopes, external);
    }
}
