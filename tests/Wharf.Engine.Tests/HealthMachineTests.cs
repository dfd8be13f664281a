using Wharf.Core.Containers;
using Wharf.Engine.Health;
using Wharf.Oci.Image;

namespace Wharf.Engine.Tests;

public sealed class HealthMachineTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);

    private static HealthSettings Settings(int retries = 3, double startPeriodSeconds = 0) =>
        new(["true"], TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(startPeriodSeconds), TimeSpan.FromSeconds(5), retries);

    private static HealthProbeResult Probe(int exitCode, double atSeconds) =>
        new(Started.AddSeconds(atSeconds), Started.AddSeconds(atSeconds + 0.1), exitCode, "");

    [Fact]
    public void SuccessMakesHealthyAndClearsTheStreak()
    {
        var h = HealthMachine.Apply(new HealthStatus { Status = HealthStatus.Unhealthy, FailingStreak = 4 }, Probe(0, 1), Settings(), Started);
        Assert.Equal(HealthStatus.Healthy, h.Status);
        Assert.Equal(0, h.FailingStreak);
        Assert.Single(h.Log);
    }

    [Fact]
    public void FailuresCountUntilRetriesThenUnhealthy()
    {
        var h = new HealthStatus { Status = HealthStatus.Healthy };
        h = HealthMachine.Apply(h, Probe(1, 1), Settings(retries: 2), Started);
        Assert.Equal((HealthStatus.Healthy, 1), (h.Status, h.FailingStreak));
        h = HealthMachine.Apply(h, Probe(2, 2), Settings(retries: 2), Started);
        Assert.Equal((HealthStatus.Unhealthy, 2), (h.Status, h.FailingStreak));
        h = HealthMachine.Apply(h, Probe(-1, 3), Settings(retries: 2), Started);
        Assert.Equal((HealthStatus.Unhealthy, 3), (h.Status, h.FailingStreak));
    }

    [Fact]
    public void FailuresInTheStartPeriodDoNotCountWhileStarting()
    {
        var h = new HealthStatus();
        h = HealthMachine.Apply(h, Probe(1, 1), Settings(retries: 1, startPeriodSeconds: 10), Started);
        Assert.Equal((HealthStatus.Starting, 0), (h.Status, h.FailingStreak));
        Assert.Single(h.Log);
        h = HealthMachine.Apply(h, Probe(1, 11), Settings(retries: 1, startPeriodSeconds: 10), Started);
        Assert.Equal((HealthStatus.Unhealthy, 1), (h.Status, h.FailingStreak));

        // Once healthy, a failure inside the start period counts.
        var healthy = new HealthStatus { Status = HealthStatus.Healthy };
        Assert.Equal(1, HealthMachine.Apply(healthy, Probe(1, 2), Settings(retries: 3, startPeriodSeconds: 10), Started).FailingStreak);
    }

    [Fact]
    public void LogKeepsTheLastFive()
    {
        var h = new HealthStatus();
        for (var i = 0; i < 8; i++)
        {
            h = HealthMachine.Apply(h, Probe(i % 2, i), Settings(), Started);
        }
        Assert.Equal(5, h.Log.Count);
        Assert.Equal(Started.AddSeconds(3), h.Log[0].Start);
        Assert.Equal(Started.AddSeconds(7), h.Log[^1].Start);
    }

    [Fact]
    public void IntervalIsTheStartIntervalOnlyWhileStartingInTheStartPeriod()
    {
        var s = Settings(startPeriodSeconds: 60);
        Assert.Equal(TimeSpan.FromSeconds(5), HealthMachine.NextInterval(s, HealthStatus.Starting, Started, Started.AddSeconds(10)));
        Assert.Equal(TimeSpan.FromSeconds(30), HealthMachine.NextInterval(s, HealthStatus.Healthy, Started, Started.AddSeconds(10)));
        Assert.Equal(TimeSpan.FromSeconds(30), HealthMachine.NextInterval(s, HealthStatus.Starting, Started, Started.AddSeconds(61)));
    }

    [Fact]
    public void OutputIsCutAt4096BytesWithAnEllipsis()
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(new string('x', 4096));
        Assert.Equal(new string('x', 4096) + "...", HealthMachine.Output(bytes, 4096, truncated: true));
        Assert.Equal("xx", HealthMachine.Output(bytes, 2, truncated: false));
    }

    [Theory]
    [InlineData(new[] { "CMD", "curl", "-f", "x" }, new[] { "curl", "-f", "x" })]
    [InlineData(new[] { "CMD-SHELL", "test -f /a" }, new[] { "/bin/sh", "-c", "test -f /a" })]
    [InlineData(new[] { "NONE" }, null)]
    [InlineData(new[] { "BOGUS", "x" }, null)]
    [InlineData(new[] { "CMD" }, null)]
    public void SettingsFromConfig(string[] test, string[]? command)
    {
        var s = HealthSettings.From(new HealthConfig { Test = test }, null);
        Assert.Equal(command, s?.Command);
        if (s is not null)
        {
            Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromSeconds(5), 3), (s.Interval, s.Timeout, s.StartPeriod, s.StartInterval, s.Retries));
        }
    }

    [Fact]
    public void ShellFormUsesTheContainersShellAndDurationsAreNanoseconds()
    {
        var s = HealthSettings.From(new HealthConfig { Test = ["CMD-SHELL", "a", "b"], Interval = 1_500_000_000, Timeout = 250_000_000, Retries = 7 }, ["/bin/bash", "-ec"])!;
        Assert.Equal(["/bin/bash", "-ec", "a b"], s.Command);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), s.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.Timeout);
        Assert.Equal(7, s.Retries);
        Assert.Null(HealthSettings.From(null, null));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1.5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(30_000, "30s")]
    public void GoDurationFormat(int milliseconds, string expected) => Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void GoDurationFormatSmallUnits()
    {
        Assert.Equal("1.5ms", GoDuration.Format(TimeSpan.FromTicks(15_000)));
        Assert.Equal("100µs", GoDuration.Format(TimeSpan.FromTicks(1_000)));
    }

    [Fact]
    public void MergeTakesTheImagesValuesWhereTheUserLeftZero()
    {
        var image = new HealthConfig { Test = ["CMD", "check"], Interval = 5, Timeout = 6, Retries = 2 };
        Assert.Same(image, HealthConfigMerge.Merge(null, image));
        var merged = HealthConfigMerge.Merge(new HealthConfig { Interval = 9 }, image)!;
        Assert.Equal(["CMD", "check"], merged.Test);
        Assert.Equal((9L, 6L, 2), (merged.Interval, merged.Timeout, merged.Retries));
        var none = HealthConfigMerge.Merge(new HealthConfig { Test = ["NONE"] }, image)!;
        Assert.Equal(["NONE"], none.Test);
    }

    [Theory]
    [InlineData(100, 0, 0, "Interval in Healthcheck cannot be less than 1ms")]
    [InlineData(0, 999_999, 0, "Timeout in Healthcheck cannot be less than 1ms")]
    [InlineData(0, 0, -1, "Retries in Healthcheck cannot be negative")]
    public void ValidationMatchesDockersMessages(long interval, long timeout, int retries, string message)
    {
        var e = Assert.Throws<Core.Errors.WharfException>(() => HealthConfigMerge.Validate(new HealthConfig { Test = ["CMD", "x"], Interval = interval, Timeout = timeout, Retries = retries }));
        Assert.Equal(message, e.Message);
        HealthConfigMerge.Validate(new HealthConfig { Interval = 1_000_000 });
    }
}
