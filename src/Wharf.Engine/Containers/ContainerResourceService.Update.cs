using Wharf.Core.Containers;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

public sealed partial class ContainerResourceService
{
    public async Task<IReadOnlyList<string>?> UpdateAsync(string name, ContainerUpdate update, CancellationToken cancellationToken)
    {
        var rec = _containers.Inspect(name);
        var (valid, warnings) = UpdateValidation.Validate(update, _metrics.HostInfo);
        var live = UpdateMerge.Live(valid);
        await _containers.UpdateHostAsync(
            rec.Id,
            current => UpdateMerge.Apply(current, valid),
            async _ =>
            {
                if (live.IsEmpty)
                {
                    return;
                }

                try
                {
                    await _updater.UpdateResourcesAsync(rec.Id, live, cancellationToken).ConfigureAwait(false);
                }
                catch (WharfException e)
                {
                    throw new WharfException(ErrorKind.Internal, $"Cannot update container {rec.Id}: {e.Message}", e);
                }
            },
            cancellationToken).ConfigureAwait(false);
        return warnings.Count == 0 ? null : warnings;
    }
}
