using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wharf.Core.Content;
using Wharf.Core.Distribution;
using Wharf.Core.Events;
using Wharf.Core.Images;
using Wharf.Distribution;
using Wharf.Images;
using Wharf.Linux;

namespace Wharf.Daemon;

/// <summary>The registry client: pull, push, login, search, with the daemon's registry settings.</summary>
internal static class DistributionRegistration
{
    public static IServiceCollection AddWharfDistribution(this IServiceCollection services, DaemonOptions options)
    {
        // zstd layers through the host's libzstd when it loads; gzip and plain tar always.
        services.AddSingleton<ILayerDecompressor>(_ => new LayerDecompressor(Zstd.IsAvailable ? s => new ZstdDecompressStream(s) : null));
        services.AddSingleton(sp => new DistributionService(
            new RegistrySettings
            {
                Mirrors = options.RegistryMirrors,
                InsecureRegistries = options.InsecureRegistries,
                MaxConcurrentDownloads = options.MaxConcurrentDownloads,
                MaxConcurrentUploads = options.MaxConcurrentUploads,
                CertsDirectory = CertsDirectory(options),
                StateRoot = Path.Combine(options.DataRoot, "distribution"),
            },
            sp.GetRequiredService<IImageService>(),
            sp.GetRequiredService<IImageIngester>(),
            sp.GetRequiredService<IContentStore>(),
            sp.GetRequiredService<ILayerDecompressor>(),
            sp.GetRequiredService<IEventService>(),
            sp.GetRequiredService<ILogger<DistributionService>>()));
        services.AddSingleton<IDistributionService>(sp => sp.GetRequiredService<DistributionService>());
        return services;
    }

    /// <summary>
    /// Per-registry certificates, as dockerd's /etc/docker/certs.d: <c>WHARF_CERTS_D</c> when set,
    /// else <c>certs.d</c> next to daemon.json (/etc/wharf/certs.d by default).
    /// </summary>
    private static string CertsDirectory(DaemonOptions options)
        => Environment.GetEnvironmentVariable("WHARF_CERTS_D") is { Length: > 0 } fromEnv
            ? Path.GetFullPath(fromEnv)
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.ConfigFile)) ?? "/etc/wharf", "certs.d");
}
