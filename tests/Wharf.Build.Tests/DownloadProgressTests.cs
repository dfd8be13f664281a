namespace Wharf.Build.Tests;

/// <summary>When ADD's download reports progress: first read, then paced (512 KiB and 100 ms), and the end once.</summary>
public sealed class DownloadProgressTests
{
    private sealed class StepTime : TimeProvider
    {
        public long Now { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Now;
    }

    [Fact]
    public async Task ReportsTheFirstReadPacedUpdatesAndTheEndOnce()
    {
        var time = new StepTime();
        var seen = new List<(long, long)>();
        var p = new DownloadProgress((c, t) => { seen.Add((c, t)); return ValueTask.CompletedTask; }, 3 << 20, time);

        await p.ReadAsync(32768, last: false);
        await p.ReadAsync(65536, last: false);

        // More than 512 KiB on, but within 100 ms of the last report: held back.
        await p.ReadAsync(600_000, last: false);
        time.Now += TimeSpan.FromMilliseconds(150).Ticks;
        await p.ReadAsync(600_001, last: false);
        await p.ReadAsync(700_000, last: false);

        // Reaching the announced length reports at once, and the end does not repeat it.
        await p.ReadAsync(3 << 20, last: false);
        await p.ReadAsync(3 << 20, last: true);
        Assert.Equal([(32768, 3 << 20), (600_001, 3 << 20), (3 << 20, 3 << 20)], seen);
    }

    [Fact]
    public async Task WithoutALengthTheEndIsReported()
    {
        var seen = new List<(long, long)>();
        var p = new DownloadProgress((c, t) => { seen.Add((c, t)); return ValueTask.CompletedTask; }, -1, new StepTime());
        await p.ReadAsync(10, last: false);
        await p.ReadAsync(20, last: false);
        await p.ReadAsync(20, last: true);
        Assert.Equal([(10, -1), (20, -1)], seen);
    }
}
