using Wharf.Core.Distribution;

namespace Wharf.Core.Images;

/// <summary>
/// One message of a progress stream (Docker's jsonmessage): a status line for an id, a plain
/// stream text, or progress figures. Rendered to JSON at the API edge.
/// </summary>
public sealed record ProgressMessage
{
    public string? Status { get; init; }

    public string? Id { get; init; }

    public string? Stream { get; init; }

    public long? Current { get; init; }

    public long? Total { get; init; }

    public string? Error { get; init; }

    /// <summary>A status line for an id without progress figures (Docker's progress.Message: no <c>progressDetail</c>).</summary>
    public bool Plain { get; init; }

    /// <summary>The end of one tag's push, sent as the stream's <c>aux</c> message.</summary>
    public PushResult? PushResult { get; init; }
}
