namespace Wharf.Core.Build;

/// <summary>
/// One message of a build's output: text for the <c>stream</c>, the built image's ID
/// (<c>aux</c>), or a progress report (<see cref="Status"/> with figures, e.g. ADD's download).
/// </summary>
public sealed record BuildOutput(string? Stream, string? ImageId = null)
{
    /// <summary>A progress message's action ("Downloading"); null for text and aux messages.</summary>
    public string? Status { get; init; }

    /// <summary>Bytes done so far (with <see cref="Status"/>).</summary>
    public long Current { get; init; }

    /// <summary>Bytes expected in all; zero or less when unknown (the server sent no length).</summary>
    public long Total { get; init; }
}
