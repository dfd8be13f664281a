using Wharf.Api.Images;

namespace Wharf.Api.Server;

/// <summary>
/// Named API-version shims, applied at the edge after mapping. Each says which Docker API
/// version changed the shape (see the Engine API version history).
/// </summary>
internal static partial class ApiCompat
{
    private static readonly ApiVersion V142 = new(1, 42);
    private static readonly ApiVersion V144 = new(1, 44);
    private static readonly ApiVersion V145 = new(1, 45);

    /// <summary>API 1.42 made volume prune remove only anonymous volumes unless <c>all=true</c>; older clients prune every unused volume.</summary>
    public static Core.Filters.FilterSet ApplyVolumePruneCompat(ApiVersion version, Core.Filters.FilterSet filters)
        => version >= V142 ? filters : Core.Filters.FilterSet.Of([.. filters.Keys.SelectMany(k => filters.Get(k).Select(v => (k, v))), ("all", "true")]);

    /// <summary>API 1.42 stopped reporting the kernel-memory limits (cgroup v2 has none).</summary>
    public static Wharf.Api.Containers.ContainerInspect ApplyContainerInspectCompat(ApiVersion version, Wharf.Api.Containers.ContainerInspect dto)
        => version >= V142 && dto.HostConfig is { } hc ? dto with { HostConfig = hc with { KernelMemory = null, KernelMemoryTCP = null } } : dto;

    /// <summary>API 1.44 removed VirtualSize from image summaries.</summary>
    public static ImageSummary ApplyImageSummaryCompat(ApiVersion version, ImageSummary dto)
        => version >= V144 ? dto with { VirtualSize = null } : dto;

    /// <summary>API 1.44 removed VirtualSize; 1.45 removed Container and ContainerConfig from image inspect.</summary>
    public static ImageInspect ApplyImageInspectCompat(ApiVersion version, ImageInspect dto)
    {
        if (version >= V144)
        {
            dto = dto with { VirtualSize = null };
        }

        if (version >= V145)
        {
            dto = dto with { Container = null, ContainerConfig = null };
        }

        return dto;
    }
}
