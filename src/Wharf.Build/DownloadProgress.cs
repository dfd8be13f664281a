namespace Wharf.Build;

/// <summary>
/// When a download reports its progress, as moby's progress reader decides it: the first read,
/// then after more than 512 KiB since the last report if 100 ms have passed, and always when
/// the announced length is reached or the body ends.
/// </summary>
internal sealed class DownloadProgress(Func<long, long, ValueTask> report, long size, TimeProvider time)
{
    private const long UpdateEvery = 512 * 1024;
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    private long _lastUpdate;
    private long _lastReported = -1;
    private long _lastTimestamp;
    private bool _any;

    public async ValueTask ReadAsync(long current, bool last)
    {
        if (current == _lastReported && (last || current == size))
        {
            // The end was already reported (the length was reached on the last read).
            return;
        }

        var due = !_any || last || current == size || current - _lastUpdate > UpdateEvery;
        if (!due)
        {
            return;
        }

        var now = time.GetTimestamp();
        if (_any && !last && current != size && time.GetElapsedTime(_lastTimestamp, now) < MinInterval)
        {
            return;
        }

        _any = true;
        _lastUpdate = current;
        _lastReported = current;
        _lastTimestamp = now;
        await report(current, size).ConfigureAwait(false);
    }
}
