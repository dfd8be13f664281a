using Microsoft.Extensions.DependencyInjection;
using Wharf.Core.Containers;
using Wharf.Core.Containers.Stats;
using Wharf.Engine.Containers;
using Wharf.Runtime.Cgroups;
using Wharf.Runtime.Runc;

namespace Wharf.Daemon;

/// <summary>Stats, top and update: the cgroup reader, the host's ps, runc update, and the engine service over them.</summary>
internal static class ResourceRegistration
{
    public static IServiceCollection AddContainerResources(this IServiceCollection services)
    {
        services.AddSingleton<IContainerMetrics>(sp => new CgroupMetrics(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IHostProcessLister, HostProcessLister>();
        services.AddSingleton<IContainerResourceUpdater>(sp => sp.GetRequiredService<ShimRuntime>());
        services.AddSingleton<ContainerResourceService>();
        services.AddSingleton<IContainerStatsService>(sp => sp.GetRequiredService<ContainerResourceService>());
        services.AddSingleton<IContainerUpdateService>(sp => sp.GetRequiredService<ContainerResourceService>());
        return services;
    }
}
