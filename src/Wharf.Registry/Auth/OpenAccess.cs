using Microsoft.AspNetCore.Http;
using Wharf.Registry.Errors;

namespace Wharf.Registry.Auth;

/// <summary>No authentication: everyone may do everything (the registry listens where it is trusted).</summary>
internal sealed class OpenAccess : IAccessController
{
    public ValueTask RequireAsync(HttpContext context, string? repository, string? action, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<bool> AllowsAsync(HttpContext context, string repository, string action, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public Task IssueTokenAsync(HttpContext context, CancellationToken cancellationToken) =>
        throw new RegistryException(RegistryErrorKind.RouteUnknown, "this registry does not issue tokens");
}
