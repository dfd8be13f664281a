namespace Wharf.Core.Events;

/// <summary>One engine event, as <c>GET /events</c> reports it (type image/container/..., action, actor).</summary>
public sealed record EngineEvent(
    string Type,
    string Action,
    string ActorId,
    IReadOnlyDictionary<string, string> Attributes,
    long TimeNano)
{
    public string Scope { get; init; } = "local";
}
