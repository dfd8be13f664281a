using Wharf.Registry.Config;
using Wharf.Registry.Gc;
using Wharf.Registry.Storage;

namespace Wharf.Registry;

/// <summary>Garbage collection of a registry's storage, for <c>wharf registry gc</c>; best run while no push is under way.</summary>
public static class RegistryGc
{
    public static Task<GcReport> RunAsync(string root, GcOptions options, CancellationToken cancellationToken) =>
        RunAsync(new RegistryConfig { Root = root }, options, cancellationToken);

    /// <summary>Collects the storage a config selects (a filesystem root or an S3 bucket).</summary>
    public static async Task<GcReport> RunAsync(RegistryConfig config, GcOptions options, CancellationToken cancellationToken)
    {
        using var storage = await RegistryStorage.OpenAsync(config, TimeProvider.System, Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
        return await new GarbageCollector(storage.Blobs, storage.Uploads, storage.Repositories, TimeProvider.System).RunAsync(options, cancellationToken).ConfigureAwait(false);
    }
}
