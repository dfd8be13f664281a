using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wharf.Content;
using Wharf.Core.Content;
using Wharf.Core.Events;
using Wharf.Core.Images;
using Wharf.Core.Snapshots;
using Wharf.Core.System;
using Wharf.Engine;
using Wharf.Images;
using Wharf.Snapshots;

namespace Wharf.Daemon;

/// <summary>The composition root: the only place that names every concrete type.</summary>
internal static class EngineRegistration
{
    public static IServiceCollection AddWharfEngine(this IServiceCollection services, DaemonOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IEventService, EventService>();
        services.AddSingleton<IContentStore>(_ => new FileContentStore(Path.Combine(options.DataRoot, "content")));
        services.AddSingleton<ISnapshotter>(_ => SnapshotterFactory.Create(Path.Combine(options.DataRoot, "snapshots"), options.StorageDriver));
        services.AddSingleton(sp => new ImageService(
            Path.Combine(options.DataRoot, "image"),
            sp.GetRequiredService<IContentStore>(),
            sp.GetRequiredService<ISnapshotter>(),
            sp.GetRequiredService<IEventService>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ImageService>>()));
        services.AddSingleton<IImageService>(sp => sp.GetRequiredService<ImageService>());
        services.AddSingleton(sp => new EngineSettings
        {
            EngineId = EngineId(options.DataRoot),
            DataRoot = options.DataRoot,
            ExecRoot = options.ExecRoot,
            StorageDriver = sp.GetRequiredService<ISnapshotter>().Name,
            Debug = options.Debug,
            Labels = options.Labels,
            RegistryMirrors = options.RegistryMirrors,
            InsecureRegistries = options.InsecureRegistries,
        });
        services.AddSingleton<ISystemService, SystemService>();
        return services;
    }

    public static Task InitializeWharfEngineAsync(this IServiceProvider services, CancellationToken cancellationToken)
        => services.GetRequiredService<ImageService>().InitializeAsync(cancellationToken);

    /// <summary>A stable engine ID, made once per data root (dockerd keeps one too).</summary>
    private static string EngineId(string dataRoot)
    {
        var path = Path.Combine(dataRoot, "engine-id");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var id = Guid.NewGuid().ToString();
        File.WriteAllText(path, id);
        return id;
    }
}
