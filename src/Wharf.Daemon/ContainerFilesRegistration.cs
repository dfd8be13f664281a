using Microsoft.Extensions.DependencyInjection;
using Wharf.Core.Containers;
using Wharf.Core.Containers.Files;
using Wharf.Core.Images;
using Wharf.Core.Snapshots;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Files;
using Wharf.Images;
using Wharf.Snapshots.Changes;
using Wharf.Snapshots.Rootfs;

namespace Wharf.Daemon;

/// <summary>The container file system operations (cp, diff, export, commit).</summary>
internal static class ContainerFilesRegistration
{
    public static IServiceCollection AddWharfContainerFiles(this IServiceCollection services)
    {
        services.AddSingleton<IRootfsAccess, RootfsAccess>();
        services.AddSingleton<ISnapshotChanges>(sp => new SnapshotChanges(sp.GetRequiredService<ISnapshotter>()));
        services.AddSingleton<IImageCommitter>(sp => sp.GetRequiredService<ImageService>());
        services.AddSingleton<IContainerFiles>(sp => new ContainerFiles(
            sp.GetRequiredService<ContainerService>(),
            sp.GetRequiredService<IRootfsAccess>(),
            sp.GetRequiredService<ISnapshotChanges>(),
            sp.GetRequiredService<IImageCommitter>()));
        return services;
    }
}
