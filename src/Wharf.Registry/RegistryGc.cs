using Wharf.Registry.Gc;
using Wharf.Registry.Storage;

namespace Wharf.Registry;

/// <summary>Garbage collection of a registry root, for <c>wharf registry gc</c>; best run while no push is under way.</summary>
public static class RegistryGc
{
    public static Task<GcReport> RunAsync(string root, GcOptions options, CancellationToken cancellationToken)
    {
        var storage = new FileSystemStorage(root, TimeProvider.System);
        return new GarbageCollector(storage, storage, storage, TimeProvider.System).RunAsync(options, cancellationToken);
    }
}
