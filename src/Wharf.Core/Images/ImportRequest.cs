namespace Wharf.Core.Images;

/// <summary>What <c>POST /images/create?fromSrc=-</c> asks for.</summary>
public sealed record ImportRequest
{
    public string? Repository { get; init; }

    public string? Tag { get; init; }

    public string? Message { get; init; }

    /// <summary>Dockerfile instructions to apply to the config (CMD, ENV, LABEL, ...).</summary>
    public IReadOnlyList<string> Changes { get; init; } = [];

    public string? Platform { get; init; }
}
