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
        return StartNamesAsync(containerId, servers, cancellationToken);
    }

    /// <summary>
    /// As dockerd does: the server takes ports the kernel picks and a DNAT rule in the sandbox
    /// sends 127.0.0.11:53 there, so the container's own programs may use port 53. Where the rule
    /// cannot be made, the server takes port 53 itself.
    /// </summary>
    private async Task StartNamesAsync(string containerId, IReadOnlyList<IPEndPoint> servers, CancellationToken cancellationToken)
    {
        var path = _driver.SandboxPath(containerId);
        Func<byte[], bool, CancellationToken, Task<byte[]?>> answer = (query, tcp, ct) => AnswerAsync(containerId, servers, query, tcp, ct);
        DnsListener listener;
        try
        {
            listener = DnsListener.Start(path, answer, ephemeralPorts: true);
            var (code, _, stderr) = await HostCommand.RunAsync("nsenter", ["--net=" + path, "iptables-restore"], DnatRules(listener.UdpPort, listener.TcpPort), cancellationToken).ConfigureAwait(false);
            if (code != 0)
            {
                LogWarning(containerId[..12], "embedded DNS server on port 53 itself (no DNAT rule in the sandbox): " + stderr.Trim());
                await listener.DisposeAsync().ConfigureAwait(false);
                listener = DnsListener.Start(path, answer);
            }
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception)
        {
            // The container still runs and reaches addresses; only names of other containers fail.
            LogWarning(containerId[..12], "embedded DNS server: " + e.Message);
            return;
        }

        if (!_dns.TryAdd(containerId, listener))
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The sandbox's whole nat table (iptables-restore input; the namespace is the container's
    /// own, so replacing it also drops the rules of an earlier server after a daemon restart):
    /// 127.0.0.11:53 goes to the server's ports, and its answers come from port 53.
    /// </summary>
    internal static string DnatRules(int udpPort, int tcpPort)
        => string.Join('\n',
            "*nat",
            ":PREROUTING ACCEPT [0:0]",
            ":INPUT ACCEPT [0:0]",
            ":OUTPUT ACCEPT [0:0]",
            ":POSTROUTING ACCEPT [0:0]",
            $"-A OUTPUT -d {DnsListener.Address}/32 -p udp --dport {DnsListener.Port} -j DNAT --to-destination {DnsListener.Address}:{udpPort}",
            $"-A OUTPUT -d {DnsListener.Address}/32 -p tcp --dport {DnsListener.Port} -j DNAT --to-destination {DnsListener.Address}:{tcpPort}",
            $"-A POSTROUTING -s {DnsListener.Address}/32 -p udp --sport {udpPort} -j SNAT --to-source :{DnsListener.Port}",
            $"-A POSTROUTING -s {DnsListener.Address}/32 -p tcp --sport {tcpPort} -j SNAT --to-source :{DnsListener.Port}",
            "COMMIT",
            "");

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
