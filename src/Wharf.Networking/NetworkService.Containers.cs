using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;
using Wharf.Core.Networks;

namespace Wharf.Networking;

public sealed partial class NetworkService
{
    public Task<string> CreateSandboxAsync(string containerId, CancellationToken cancellationToken)
        => _driver.CreateSandboxAsync(containerId, cancellationToken);

    public async Task RemoveSandboxAsync(string containerId, CancellationToken cancellationToken)
    {
        // The DNS sockets hold the namespace (and the veth ends in it) alive: close them first.
        await StopNamesAsync(containerId).ConfigureAwait(false);
        await _driver.DeleteSandboxAsync(containerId, cancellationToken).ConfigureAwait(false);
    }

    public void ValidateEndpoint(NetworkRecord network, EndpointRequest request)
    {
        if (request.MacAddress.Length > 0 && !MacPattern().IsMatch(request.MacAddress))
        {
            throw WharfException.Invalid($"invalid MAC address: {request.MacAddress}");
        }

        if (request.IPv4Address.Length == 0)
        {
            return;
        }

        if (!Cidr.TryParseAddress(request.IPv4Address, out var address))
        {
            throw WharfException.Invalid($"invalid IPv4 address: {request.IPv4Address}");
        }

        if (network.Driver != "bridge" || network.Ipam is not [var pool, ..])
        {
            throw WharfException.Invalid("user specified IP address is supported on user defined networks only");
        }

        if (network.Predefined || !pool.UserGiven)
        {
            throw WharfException.Invalid("user specified IP address is supported only when connecting to networks with user configured subnets");
        }

        if (!Cidr.TryParse(pool.Subnet, out var subnet, out _) || !subnet.Contains(address))
        {
            throw WharfException.Invalid($"no configured subnet or ip-range contain the IP address {request.IPv4Address}");
        }
    }

    public async Task<ContainerEndpoint> ConnectAsync(string containerId, string sandboxPath, NetworkRecord network, EndpointRequest request, string interfaceName, bool defaultRoute, CancellationToken cancellationToken)
    {
        var endpointId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        if (network.Driver != "bridge")
        {
            // host and none: nothing to plumb; the endpoint only marks the membership as live.
            return new ContainerEndpoint { Request = request, NetworkId = network.Id, EndpointId = endpointId };
        }

        ValidateEndpoint(network, request);
        uint address;
        AddressPool pool;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            pool = _pools.GetValueOrDefault(network.Id) ?? throw WharfException.NotFound($"network {network.Name} not found");
            if (request.IPv4Address.Length > 0)
            {
                Cidr.TryParseAddress(request.IPv4Address, out address);
                if (!pool.TryReserve(address))
                {
                    throw new WharfException(ErrorKind.Forbidden, $"Address already in use");
                }
            }
            else
            {
                address = pool.Allocate() ?? throw new WharfException(ErrorKind.Unavailable, $"no available IPv4 addresses on this network's address pools: {network.Name} ({network.Id})");
            }
        }
        finally
        {
            _lock.Release();
        }

        var mac = request.MacAddress.Length > 0 ? request.MacAddress.ToLowerInvariant() : BridgeDriver.MacFor(address);
        var gateway = network.Internal ? "" : Cidr.Format(pool.Gateway);
        try
        {
            var hostIf = await _driver.AddEndpointAsync(containerId, network.BridgeName, interfaceName, $"{Cidr.Format(address)}/{pool.Subnet.PrefixLength}", mac, gateway, defaultRoute, OptionsOf(network).Mtu, cancellationToken).ConfigureAwait(false);
            return new ContainerEndpoint
            {
                Request = request,
                NetworkId = network.Id,
                EndpointId = endpointId,
                Aliases = network.Predefined || request.Aliases.Contains(containerId[..12]) ? request.Aliases : [.. request.Aliases, containerId[..12]],
                IPAddress = Cidr.Format(address),
                IPPrefixLen = pool.Subnet.PrefixLength,
                Gateway = Cidr.Format(pool.Gateway),
                MacAddress = mac,
                HostInterface = hostIf,
                ContainerInterface = interfaceName,
            };
        }
        catch
        {
            await ReleaseAsync(network.Id, address).ConfigureAwait(false);
            throw;
        }
    }

    public async Task DisconnectAsync(string containerId, ContainerEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (endpoint.HostInterface.Length > 0)
        {
            await BridgeDriver.RemoveEndpointAsync(endpoint.HostInterface, cancellationToken).ConfigureAwait(false);
        }

        if (endpoint.IPAddress.Length > 0 && Cidr.TryParseAddress(endpoint.IPAddress, out var address))
        {
            await ReleaseAsync(endpoint.NetworkId, address).ConfigureAwait(false);
        }
    }

    public void Restore(string containerId, ContainerEndpoint endpoint)
    {
        if (endpoint.IPAddress.Length > 0 && Cidr.TryParseAddress(endpoint.IPAddress, out var address) && _pools.TryGetValue(endpoint.NetworkId, out var pool))
        {
            pool.TryReserve(address);
        }
    }

    private async Task ReleaseAsync(string networkId, uint address)
    {
        await _lock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_pools.TryGetValue(networkId, out var pool))
            {
                pool.Release(address);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")]
    private static partial Regex MacPattern();
}
