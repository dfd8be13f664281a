using Wharf.Core.Filters;

namespace Wharf.Core.Events;

/// <summary>
/// The engine's event log: publishers append, readers replay the retained past (since/until)
/// and then follow live events until <c>until</c> passes or they cancel.
/// </summary>
public interface IEventService
{
    void Publish(string type, string action, string actorId, IReadOnlyDictionary<string, string>? attributes = null);

    /// <summary>
    /// Events with time in [since, until] matching the filters. With <paramref name="until"/>
    /// in the past the stream ends after the replay; with it null the stream follows forever.
    /// Times are Unix nanoseconds.
    /// </summary>
    IAsyncEnumerable<EngineEvent> StreamAsync(long? sinceNano, long? untilNano, FilterSet filters, CancellationToken cancellationToken);
}
