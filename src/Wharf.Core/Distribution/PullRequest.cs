namespace Wharf.Core.Distribution;

/// <summary>What <c>POST /images/create?fromImage=</c> asks for.</summary>
public sealed record PullRequest
{
    /// <summary>The image as given (<c>busybox</c>, <c>host:5000/a/b</c>, <c>x@sha256:...</c>).</summary>
    public required string Image { get; init; }

    public string? Tag { get; init; }

    /// <summary><c>os/arch[/variant]</c>; the host's platform when empty.</summary>
    public string? Platform { get; init; }

    public RegistryAuth? Auth { get; init; }
}
