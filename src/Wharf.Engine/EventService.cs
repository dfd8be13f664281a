using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Wharf.Core.Events;
using Wharf.Core.Filters;

namespace Wharf.Engine;

/// <summary>
/// Keeps the newest events in a ring (Docker keeps 1024 too) and fans out live ones to
/// subscribers through bounded channels, so one slow reader cannot hold up the engine.
/// </summary>
public sealed class EventService : IEventService
{
    private const int Retained = 1024;
    private readonly Lock _lock = new();
    private readonly Queue<EngineEvent> _ring = new();
    private readonly List<Channel<EngineEvent>> _subscribers = [];
    private readonly TimeProvider _time;
    private long _lastNano;

    public EventService(TimeProvider time) => _time = time;

    public void Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string>? attributes = null)
    {
        lock (_lock)
        {
            var nano = NowNano();
            // Strictly increasing, so since/until comparisons order events as they happened.
            nano = Math.Max(nano, _lastNano + 1);
            _lastNano = nano;
            var ev = new EngineEvent(type, action, actorId, attributes ?? new Dictionary<string, string>(), nano);
            _ring.Enqueue(ev);
            while (_ring.Count > Retained)
            {
                _ring.Dequeue();
            }

            foreach (var sub in _subscribers)
            {
                sub.Writer.TryWrite(ev);
            }
        }
    }

    public async IAsyncEnumerable<EngineEvent> StreamAsync(long? sinceNano, long? untilNano, FilterSet filters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<EngineEvent>(new BoundedChannelOptions(Retained) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        EngineEvent[] past;
        lock (_lock)
        {
            past = sinceNano is null && untilNano is null ? [] : [.. _ring];
            _subscribers.Add(channel);
        }

        try
        {
            var nowNano = NowNano();
            foreach (var ev in past)
            {
                if (InRange(ev, sinceNano, untilNano) && Matches(ev, filters))
                {
                    yield return ev;
                }
            }

            if (untilNano is { } u && u <= nowNano)
            {
                yield break;
            }

            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (untilNano is { } until)
            {
                // A timer cannot wait longer than int.MaxValue ms; an until further out than
                // that (~24 days) is as good as forever for a stream.
                var delayMs = Math.Max(0, (until - nowNano) / 1_000_000);
                if (delayMs < int.MaxValue)
                {
                    cts.CancelAfter(TimeSpan.FromMilliseconds(delayMs));
                }
            }

            while (true)
            {
                EngineEvent ev;
                try
                {
                    if (!await channel.Reader.WaitToReadAsync(cts.Token).ConfigureAwait(false))
                    {
                        yield break;
                    }

                    ev = await channel.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                if (InRange(ev, sinceNano, untilNano) && Matches(ev, filters))
                {
                    yield return ev;
                }
            }
        }
        finally
        {
            lock (_lock)
            {
                _subscribers.Remove(channel);
            }
        }
    }

    private long NowNano() => (_time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private static bool InRange(EngineEvent ev, long? since, long? until)
        => (since is null || ev.TimeNano >= since) && (until is null || ev.TimeNano <= until);

    /// <summary>
    /// Docker's event filters: values of one key are OR-ed, different keys AND-ed.
    /// </summary>
    internal static bool Matches(EngineEvent ev, FilterSet filters)
    {
        foreach (var key in filters.Keys)
        {
            var values = filters.Get(key);
            var ok = key switch
            {
                "type" => values.Contains(ev.Type),
                "event" => values.Contains(ev.Action),
                "scope" => values.Contains(ev.Scope),
                "image" => ev.Type == "image"
                    ? values.Any(v => v == ev.ActorId || (ev.Attributes.TryGetValue("name", out var n) && (n == v || StripLatest(n) == v)) || ev.ActorId.EndsWith(v, StringComparison.Ordinal) || ev.ActorId.StartsWith("sha256:" + v, StringComparison.Ordinal))
                    : ev.Attributes.TryGetValue("image", out var img) && values.Contains(img),
                "container" => ev.Type == "container" && values.Any(v => ev.ActorId.StartsWith(v, StringComparison.Ordinal) || (ev.Attributes.TryGetValue("name", out var cn) && cn == v)),
                "label" => filters.MatchLabels("label", ev.Attributes),
                "volume" => values.Any(v => ev.ActorId.StartsWith(v, StringComparison.Ordinal) || (ev.Attributes.TryGetValue("name", out var vn) && vn.StartsWith(v, StringComparison.Ordinal))),
                _ => true,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static string StripLatest(string name) => name.EndsWith(":latest", StringComparison.Ordinal) ? name[..^7] : name;
}
