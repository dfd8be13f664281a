using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wharf.Build;
using Wharf.Content;
using Wharf.Core.Build;
using Wharf.Core.Containers;
using Wharf.Engine.Containers;
using Wharf.Runtime.Runc;
using Wharf.Core.Content;
using Wharf.Core.Exec;
using Wharf.Engine.Exec;
using Wharf.Engine.Health;
using Wharf.Core.Events;
using Wharf.Core.Images;
using Wharf.Core.Snapshots;
using Wharf.Core.System;
using Wharf.Engine;
using Wharf.Images;
using Wharf.Snapshots;
using Wharf.Core.Volumes;
using Wharf.Volumes;
using Wharf.Core.Networks;
using Wharf.Networking;

namespace Wharf.Daemon;

/// <summary>The composition root: the only place that names every concrete type.</summary>
internal static class EngineRegistration
{
    public static IServiceCollection AddWharfEngine(this IServiceCollection services, DaemonOptions options)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IEventService, EventService>();
        var runtimes = RuntimeOptions.All(options.Runtimes);
        services.AddSingleton<IContentStore>(_ => new FileContentStore(Path.Combine(options.DataRoot, "content")));
        services.AddSingleton<ISnapshotter>(_ => SnapshotterFactory.Create(Path.Combine(options.DataRoot, "snapshots"), options.StorageDriver));
        services.AddSingleton(sp => new ImageService(
            Path.Combine(options.DataRoot, "image"),
            sp.GetRequiredService<IContentStore>(),
            sp.GetRequiredService<ISnapshotter>(),
            sp.GetRequiredService<IEventService>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ImageService>>(),
            sp.GetRequiredService<ILayerDecompressor>()));
        services.AddSingleton<IImageService>(sp => sp.GetRequiredService<ImageService>());
        services.AddSingleton<IImageIngester>(sp => sp.GetRequiredService<ImageService>());
        services.AddWharfDistribution(options);
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
            Runtimes = runtimes.ToDictionary(r => r.Key, r => r.Value.Path, StringComparer.Ordinal),
            DefaultRuntime = options.DefaultRuntime,
        });
        services.AddSingleton<ISystemService, SystemService>();
        services.AddSingleton(_ => new ContainerStore(Path.Combine(options.DataRoot, "containers")));
        services.AddSingleton(sp => new ContainerServiceSettings
        {
            Root = Path.Combine(options.DataRoot, "containers"),
            CgroupParent = "/" + options.CgroupParent.Trim('/'),
            CpuRealtime = sp.GetRequiredService<Wharf.Core.Containers.Stats.IContainerMetrics>().HostInfo.CpuRealtime,
            Runtimes = runtimes,
            DefaultRuntime = options.DefaultRuntime,
        });
        services.AddSingleton(sp => new ShimRuntime(
            new ShimRuntimeSettings
            {
                ContainersRoot = Path.Combine(options.ExecRoot, "containers"),
                RuncRoot = Path.Combine(options.ExecRoot, "runc"),
                ShimPath = ShimPath(),
                CpuRealtimePeriod = options.CpuRealtimePeriod,
                CpuRealtimeRuntime = options.CpuRealtimeRuntime,
            },
            sp.GetRequiredService<ILogger<ShimRuntime>>()));
        services.AddSingleton<IContainerRuntime>(sp => sp.GetRequiredService<ShimRuntime>());
        services.AddSingleton(sp => new VolumeService(
            Path.Combine(options.DataRoot, "volumes"),
            sp.GetRequiredService<IEventService>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<VolumeService>>()));
        services.AddSingleton<IVolumeService>(sp => sp.GetRequiredService<VolumeService>());
        services.AddSingleton<IContainerVolumes>(sp => sp.GetRequiredService<VolumeService>());
        services.AddSingleton(sp => new NetworkService(
            new NetworkingSettings
            {
                StateRoot = Path.Combine(options.DataRoot, "network"),
                DefaultBridge = options.Bridge,
                Bip = options.Bip,
                Iptables = options.Iptables,
                HostGatewayIp = options.HostGatewayIp,
                Icc = options.Icc,
                IpMasquerade = options.IpMasquerade,
                DefaultBindingIp = options.DefaultBindingIp,
                Mtu = options.Mtu,
                ChainPrefix = "WHARF-" + NetworkService.DaemonTag(options.DataRoot),
                NetnsPrefix = "wharf-" + NetworkService.DaemonTag(options.DataRoot) + "-",
                AddressPools = options.DefaultAddressPools.Count > 0 ? options.DefaultAddressPools : NetworkingSettings.DefaultPools,
            },
            sp.GetRequiredService<IEventService>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<NetworkService>>()));
        services.AddSingleton<INetworkService>(sp => sp.GetRequiredService<NetworkService>());
        services.AddSingleton<IContainerNetworks>(sp => sp.GetRequiredService<NetworkService>());
        services.AddSingleton<IContainerNetworkConnector>(sp => sp.GetRequiredService<ContainerService>());
        services.AddSingleton<IExecRuntime>(sp => (IExecRuntime)sp.GetRequiredService<IContainerRuntime>());
        services.AddSingleton<ExecService>();
        services.AddSingleton<IExecService>(sp => sp.GetRequiredService<ExecService>());
        services.AddSingleton<HealthMonitor>();
        // Order matters at a container's exit: probes stop first, then exec exits are collected.
        services.AddSingleton<IContainerLifecycleObserver>(sp => sp.GetRequiredService<HealthMonitor>());
        services.AddSingleton<IContainerLifecycleObserver>(sp => sp.GetRequiredService<ExecService>());
        services.AddSingleton<ContainerService>();
        services.AddSingleton<IContainerService>(sp => sp.GetRequiredService<ContainerService>());
        services.AddContainerResources();
        services.AddWharfContainerFiles();
        services.AddSingleton<IBuildService>(sp => new BuildService(
            Path.Combine(options.DataRoot, "build"),
            sp.GetRequiredService<IImageService>(),
            sp.GetRequiredService<IImageCommitter>(),
            sp.GetRequiredService<IContainerService>(),
            sp.GetRequiredService<IContainerFiles>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BuildService>>(),
            sp.GetRequiredService<IContentStore>()));
        return services;
    }

    public static async Task InitializeWharfEngineAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var images = services.GetRequiredService<ImageService>();
        var containers = services.GetRequiredService<ContainerService>();
        images.ContainersUsing = id => [.. containers.UsingImage(id).Select(c => (c.Id, c.State.Running))];
        await images.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await services.GetRequiredService<VolumeService>().InitializeAsync(cancellationToken).ConfigureAwait(false);
        var networks = services.GetRequiredService<NetworkService>();
        networks.ContainersOn = containers.ContainersOn;
        await networks.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await containers.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await networks.ReconcileSandboxesAsync(containers.RunningIds(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// wharf-shim sits next to the launchers (out/wharf-shim, or the installed copy); the
    /// WHARF_SHIM variable overrides it.
    /// </summary>
    private static string ShimPath()
    {
        if (Environment.GetEnvironmentVariable("WHARF_SHIM") is { Length: > 0 } env)
        {
            return env;
        }

        var beside = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "wharf-shim"));
        return File.Exists(beside) ? beside : "/usr/local/lib/wharf/wharf-shim";
    }

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
