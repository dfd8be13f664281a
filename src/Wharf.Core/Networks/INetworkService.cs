using Wharf.Core.Filters;

namespace Wharf.Core.Networks;

/// <summary>
/// Network operations behind the API (<c>/networks</c>). Networks are found by full ID, exact
/// name, or unique ID prefix; unknown ones are NotFound ("network x not found"). The predefined
/// <c>bridge</c> (when the daemon has a default bridge), <c>host</c> and <c>none</c> networks are
/// listed and cannot be removed.
/// </summary>
public interface INetworkService
{
    /// <summary>Creates a network; a taken name is Conflict, an overlapping subnet Forbidden, a bad CIDR InvalidArgument.</summary>
    Task<NetworkRecord> CreateAsync(NetworkCreateRequest request, CancellationToken cancellationToken);

    NetworkView Inspect(string idOrName);

    /// <summary>Networks matching the filters (driver, id, label, name, scope, type, dangling).</summary>
    IReadOnlyList<NetworkRecord> List(FilterSet filters);

    /// <summary>Removes a network no container is attached to (else Forbidden, as dockerd answers).</summary>
    Task RemoveAsync(string idOrName, CancellationToken cancellationToken);

    /// <summary>Removes unused user-defined networks matching the filters (until, label, label!); returns their names.</summary>
    Task<IReadOnlyList<string>> PruneAsync(FilterSet filters, CancellationToken cancellationToken);
}
