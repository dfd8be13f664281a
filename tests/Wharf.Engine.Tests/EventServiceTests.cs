using Wharf.Core.Filters;

namespace Wharf.Engine.Tests;

public sealed class EventServiceTests
{
    private static async Task<List<string>> CollectAsync(IAsyncEnumerable<Core.Events.EngineEvent> events)
    {
        var list = new List<string>();
        await foreach (var e in events)
        {
            list.Add(e.Action + ":" + e.ActorId);
        }

        return list;
    }

    private static long Nano(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    [Fact]
    public async Task ReplaysPastEventsBetweenSinceAndUntil()
    {
        var svc = new EventService(TimeProvider.System);
        var start = Nano(DateTimeOffset.UtcNow) - 1;
        svc.Publish("image", "tag", "sha256:a");
        svc.Publish("image", "untag", "sha256:a");
        svc.Publish("image", "delete", "sha256:b");
        var end = Nano(DateTimeOffset.UtcNow) + 1;
        var all = await CollectAsync(svc.StreamAsync(start, end, FilterSet.Empty, CancellationToken.None));
        Assert.Equal(["tag:sha256:a", "untag:sha256:a", "delete:sha256:b"], all);
        var none = await CollectAsync(svc.StreamAsync(0, start - 10, FilterSet.Empty, CancellationToken.None));
        Assert.Empty(none);
    }

    [Fact]
    public async Task FiltersByTypeEventAndImage()
    {
        var svc = new EventService(TimeProvider.System);
        var start = Nano(DateTimeOffset.UtcNow) - 1;
        svc.Publish("image", "tag", "sha256:aaa", new Dictionary<string, string> { ["name"] = "busybox:latest" });
        svc.Publish("image", "delete", "sha256:bbb");
        svc.Publish("network", "create", "n1");
        var end = Nano(DateTimeOffset.UtcNow) + 1;
        Assert.Equal(["tag:sha256:aaa", "delete:sha256:bbb"], await CollectAsync(svc.StreamAsync(start, end, FilterSet.Of(("type", "image")), CancellationToken.None)));
        Assert.Equal(["delete:sha256:bbb"], await CollectAsync(svc.StreamAsync(start, end, FilterSet.Of(("event", "delete")), CancellationToken.None)));
        Assert.Equal(["tag:sha256:aaa"], await CollectAsync(svc.StreamAsync(start, end, FilterSet.Of(("image", "busybox")), CancellationToken.None)));
    }

    [Fact]
    public async Task FollowsLiveEventsUntilCancelled()
    {
        var svc = new EventService(TimeProvider.System);
        using var cts = new CancellationTokenSource();
        var seen = new List<string>();
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in svc.StreamAsync(null, null, FilterSet.Empty, cts.Token))
                {
                    seen.Add(e.Action);
                    if (seen.Count == 2)
                    {
                        await cts.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        // Give the reader time to subscribe; live-only streams do not replay.
        for (var i = 0; i < 100 && seen.Count < 2 && !reader.IsCompleted; i++)
        {
            svc.Publish("image", "tag" + i, "x");
            await Task.Delay(20);
        }

        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public async Task AnUntilFarInTheFutureFollowsWithoutFailing()
    {
        var svc = new EventService(TimeProvider.System);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var count = 0;
        try
        {
            await foreach (var e in svc.StreamAsync(0, long.MaxValue, FilterSet.Empty, cts.Token))
            {
                count++;
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public void TimesAreStrictlyIncreasing()
    {
        var svc = new EventService(TimeProvider.System);
        for (var i = 0; i < 100; i++)
        {
            svc.Publish("image", "tag", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var list = svc.StreamAsync(0, Nano(DateTimeOffset.UtcNow) + 1, FilterSet.Empty, CancellationToken.None).ToBlockingList();
        for (var i = 1; i < list.Count; i++)
        {
            Assert.True(list[i].TimeNano > list[i - 1].TimeNano);
        }
    }
}

internal static class AsyncEnumerableExtensions
{
    public static List<T> ToBlockingList<T>(this IAsyncEnumerable<T> source)
    {
        var result = new List<T>();
        var e = source.GetAsyncEnumerator();
        try
        {
            while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                result.Add(e.Current);
            }
        }
        finally
        {
            e.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return result;
    }
}
