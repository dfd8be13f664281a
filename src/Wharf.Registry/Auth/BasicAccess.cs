using Microsoft.AspNetCore.Http;
using Wharf.Registry.Errors;

namespace Wharf.Registry.Auth;

/// <summary>htpasswd basic auth on every request, with the config's per-repository rights.</summary>
internal sealed class BasicAccess : IAccessController
{
    private readonly Htpasswd _users;
    private readonly AccessPolicy _policy;
    private readonly string _realm;

    public BasicAccess(Htpasswd users, AccessPolicy policy, string realm)
    {
        _users = users;
        _policy = policy;
        _realm = realm;
    }

    /// <summary>The authenticated account, null for anonymous; throws on wrong credentials.</summary>
    private string? Account(HttpContext context)
    {
        if (BasicCredentials.From(context.Request) is not { } creds)
        {
            return null;
        }
        if (!_users.Verify(creds.User, creds.Password))
        {
            throw Challenge(context, "invalid username or password");
        }
        return creds.User;
    }

    private RegistryException Challenge(HttpContext context, string message)
    {
        context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{_realm}\"";
        return new RegistryException(RegistryErrorKind.Unauthorized, message);
    }

    public ValueTask RequireAsync(HttpContext context, string? repository, string? action, CancellationToken cancellationToken)
    {
        var account = Account(context);
        if (repository is null)
        {
            return account is not null || _policy.Allows(null, "*", "pull")
                ? ValueTask.CompletedTask
                : throw Challenge(context, "authentication required");
        }
        if (_policy.Allows(account, repository, action ?? "pull"))
        {
            return ValueTask.CompletedTask;
        }
        if (account is null)
        {
            throw Challenge(context, "authentication required");
        }
        throw new RegistryException(RegistryErrorKind.Denied, "requested access to the resource is denied");
    }

    public ValueTask<bool> AllowsAsync(HttpContext context, string repository, string action, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_policy.Allows(Account(context), repository, action));

    public Task IssueTokenAsync(HttpContext context, CancellationToken cancellationToken) =>
        throw new RegistryException(RegistryErrorKind.RouteUnknown, "this registry does not issue tokens");
}
