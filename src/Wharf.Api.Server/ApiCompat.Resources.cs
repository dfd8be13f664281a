using Wharf.Api.Containers;

namespace Wharf.Api.Server;

internal static partial class ApiCompat
{
    private static readonly ApiVersion V140 = new(1, 40);
    private static readonly ApiVersion V141 = new(1, 41);

    /// <summary>PidsLimit joined the update body in API 1.40; API 1.42 dropped KernelMemory (deprecated, cgroup v2 has none).</summary>
    public static ContainerUpdateRequest ApplyContainerUpdateCompat(ApiVersion version, ContainerUpdateRequest dto)
    {
        if (version < V140)
        {
            dto = dto with { PidsLimit = null };
        }

        return version >= V142 ? dto with { KernelMemory = null } : dto;
    }

    /// <summary>The stats <c>one-shot</c> parameter exists from API 1.41.</summary>
    public static bool StatsOneShotSupported(ApiVersion version) => version >= V141;
}
