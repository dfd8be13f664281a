using Wharf.Core.Images;

namespace Wharf.Distribution;

/// <summary>Serialises progress messages from concurrent transfers onto one stream.</summary>
internal sealed class ProgressReporter(Func<ProgressMessage, ValueTask> sink)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async ValueTask SendAsync(ProgressMessage message)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            await sink(message).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public ValueTask StatusAsync(string id, string status) => SendAsync(new ProgressMessage { Status = status, Id = id });

    public ValueTask StatusAsync(string status) => SendAsync(new ProgressMessage { Status = status });

    public ValueTask BarAsync(string id, string status, long current, long total)
        => SendAsync(new ProgressMessage { Status = status, Id = id, Current = current, Total = total });
}
