using Microsoft.AspNetCore.Http;

namespace Wharf.Registry.Auth;

/// <summary>
/// Decides who may do what. A <c>repository</c> of null with a null action means "any
/// authenticated client" (the /v2/ check); "registry:catalog" with "*" is the catalog.
/// Actions are "pull", "push" and "delete".
/// </summary>
internal interface IAccessController
{
    /// <summary>Returns when allowed; otherwise throws an Unauthorized or Denied registry error and
    /// sets the challenge header (<c>WWW-Authenticate</c>) the client needs to retry.</summary>
    ValueTask RequireAsync(HttpContext context, string? repository, string? action, CancellationToken cancellationToken);

    /// <summary>Whether the request's credentials allow <paramref name="action"/>, without failing it.</summary>
    ValueTask<bool> AllowsAsync(HttpContext context, string repository, string action, CancellationToken cancellationToken);

    /// <summary>Answers the token endpoint (the bearer flow's realm); other controllers refuse it.</summary>
    Task IssueTokenAsync(HttpContext context, CancellationToken cancellationToken);
}
