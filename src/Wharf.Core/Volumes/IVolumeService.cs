using Wharf.Core.Filters;

namespace Wharf.Core.Volumes;

/// <summary>
/// Volume operations behind the API (<c>/volumes</c>). Names are exact (no prefix matching);
/// unknown ones fail with NotFound ("get x: no such volume"). A volume referenced by any
/// container, running or not, cannot be removed (Conflict "remove x: volume is in use - [ids]").
/// </summary>
public interface IVolumeService
{
    /// <summary>
    /// Creates a volume, or returns the existing one of that name unchanged (Docker ignores the
    /// labels and options of a repeated create). Invalid names or driver options are InvalidArgument.
    /// </summary>
    Task<VolumeRecord> CreateAsync(VolumeCreateRequest request, CancellationToken cancellationToken);

    VolumeRecord Inspect(string name);

    /// <summary>Volumes matching the filters (name, label, dangling, driver), sorted by name.</summary>
    (IReadOnlyList<VolumeRecord> Volumes, IReadOnlyList<string> Warnings) List(FilterSet filters);

    /// <summary>
    /// Removes an unused volume and its data. With <paramref name="force"/> a missing volume is
    /// not an error; a volume in use still is.
    /// </summary>
    Task RemoveAsync(string name, bool force, CancellationToken cancellationToken);

    /// <summary>
    /// Removes unused local volumes without driver options that match the filters (label,
    /// label!, all). Without <c>all=true</c> only anonymous volumes are considered (API 1.42+;
    /// the API edge adds <c>all=true</c> for older clients).
    /// </summary>
    Task<VolumePruneResult> PruneAsync(FilterSet filters, CancellationToken cancellationToken);

    /// <summary>Local volumes without driver options, with their size and reference count.</summary>
    Task<IReadOnlyList<VolumeUsage>> GetUsageAsync(CancellationToken cancellationToken);
}
