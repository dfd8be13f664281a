namespace Wharf.Core.Distribution;

/// <summary>Credentials a client sends (Docker's <c>X-Registry-Auth</c> / <c>POST /auth</c> body).</summary>
public sealed record RegistryAuth
{
    public string? Username { get; init; }

    public string? Password { get; init; }

    public string? ServerAddress { get; init; }

    /// <summary>A refresh token from an earlier login (OAuth2 flow).</summary>
    public string? IdentityToken { get; init; }

    /// <summary>A bearer token to send as is.</summary>
    public string? RegistryToken { get; init; }

    public bool IsEmpty => string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(IdentityToken) && string.IsNullOrEmpty(RegistryToken);
}
