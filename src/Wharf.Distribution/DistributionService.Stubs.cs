using Wharf.Core.Distribution;
using Wharf.Core.Errors;
using Wharf.Core.Images;

namespace Wharf.Distribution;

public sealed partial class DistributionService
{
    public Task PushAsync(string name, string? tag, RegistryAuth? auth, Func<ProgressMessage, ValueTask> progress, CancellationToken cancellationToken)
        => throw WharfException.NotImplemented("pushing images is not supported by this Wharf version yet");

    public Task<string> LoginAsync(RegistryAuth auth, CancellationToken cancellationToken)
        => throw WharfException.NotImplemented("login is not supported by this Wharf version yet");

    public Task<DistributionInspect> InspectAsync(string name, RegistryAuth? auth, CancellationToken cancellationToken)
        => throw WharfException.NotImplemented("distribution inspect is not supported by this Wharf version yet");

    public Task<IReadOnlyList<SearchResult>> SearchAsync(string term, int limit, RegistryAuth? auth, CancellationToken cancellationToken)
        => throw WharfException.NotImplemented("search is not supported by this Wharf version yet");
}
