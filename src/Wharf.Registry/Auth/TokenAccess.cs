using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Wharf.Registry.Errors;
using Wharf.Registry.Wire;

namespace Wharf.Registry.Auth;

/// <summary>
/// Docker's bearer-token flow with the issuer built in: requests without a valid token get
/// <c>401</c> and <c>WWW-Authenticate: Bearer realm=..,service=..,scope=..</c>; the client
/// fetches a token from the realm (this registry's <c>/token</c>, authenticating with htpasswd
/// basic auth or anonymously), which grants the requested actions the access rules allow.
/// </summary>
internal sealed class TokenAccess : IAccessController
{
    private const int Lifetime = 300;
    private readonly Htpasswd? _users;
    private readonly AccessPolicy _policy;
    private readonly TokenCodec _codec;
    private readonly string? _realm;
    private readonly string _service;
    private readonly string _issuer;
    private readonly TimeProvider _time;

    public TokenAccess(Htpasswd? users, AccessPolicy policy, TokenCodec codec, string? realm, string service, string issuer, TimeProvider time)
    {
        _users = users;
        _policy = policy;
        _codec = codec;
        _realm = realm;
        _service = service;
        _issuer = issuer;
        _time = time;
    }

    private TokenClaims? Token(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? _codec.Decode(header[7..].Trim(), _time.GetUtcNow(), _service)
            : null;
    }

    private static bool Grants(TokenClaims token, string type, string name, string action) =>
        token.Access.Any(a => a.Type == type && a.Name == name && (a.Actions.Contains(action) || a.Actions.Contains("*")));

    public ValueTask RequireAsync(HttpContext context, string? repository, string? action, CancellationToken cancellationToken)
    {
        var token = Token(context);
        if (repository is null)
        {
            return token is not null ? ValueTask.CompletedTask : throw Challenge(context, null, "authentication required");
        }
        var type = repository == "registry:catalog" ? "registry" : "repository";
        var name = type == "registry" ? "catalog" : repository;
        var act = action ?? "pull";
        if (token is not null && Grants(token, type, name, act))
        {
            return ValueTask.CompletedTask;
        }
        // Docker's client asks for pull and push together when pushing.
        var scope = type == "repository" && act == "push" ? $"{type}:{name}:pull,push" : $"{type}:{name}:{act}";
        throw Challenge(context, scope, token is null ? "authentication required" : "insufficient scope", token is not null);
    }

    /// <summary>
    /// Used where no scope was negotiated (search, mount sources): the caller is whoever the
    /// bearer token names, or the basic credentials (docker sends those to <c>/v1/search</c>),
    /// or anonymous, and the access rules decide.
    /// </summary>
    public ValueTask<bool> AllowsAsync(HttpContext context, string repository, string action, CancellationToken cancellationToken)
    {
        if (Token(context) is { } token)
        {
            return ValueTask.FromResult(Grants(token, "repository", repository, action) || _policy.Allows(token.Subject.Length > 0 ? token.Subject : null, repository, action));
        }
        string? account = null;
        if (BasicCredentials.From(context.Request) is { } creds)
        {
            if (_users is null || !_users.Verify(creds.User, creds.Password))
            {
                throw new RegistryException(RegistryErrorKind.Unauthorized, "invalid username or password");
            }
            account = creds.User;
        }
        return ValueTask.FromResult(_policy.Allows(account, repository, action));
    }

    private RegistryException Challenge(HttpContext context, string? scope, string message, bool insufficient = false)
    {
        var realm = _realm ?? $"{context.Request.Scheme}://{context.Request.Host}/token";
        var value = $"Bearer realm=\"{realm}\",service=\"{_service}\"";
        if (scope is not null)
        {
            value += $",scope=\"{scope}\"";
        }
        if (insufficient)
        {
            value += ",error=\"insufficient_scope\"";
        }
        context.Response.Headers.WWWAuthenticate = value;
        return new RegistryException(RegistryErrorKind.Unauthorized, message);
    }

    public async Task IssueTokenAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        string? account = null;
        List<string> scopes = [.. request.Query["scope"].Where(s => s is not null).Select(s => s!)];
        (string User, string Password)? creds = BasicCredentials.From(request);
        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            // The OAuth2 password grant docker uses for refresh-less logins.
            var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            if (form["grant_type"] == "password")
            {
                creds = (form["username"].ToString(), form["password"].ToString());
            }
            scopes.AddRange(form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        if (creds is { } c)
        {
            if (_users is null || !_users.Verify(c.User, c.Password))
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"" + _service + "\"";
                throw new RegistryException(RegistryErrorKind.Unauthorized, "invalid username or password");
            }
            account = c.User;
        }
        var access = new List<TokenAccessEntry>();
        foreach (var text in scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (Scope.Parse(text) is not { } scope)
            {
                continue;
            }
            var granted = scope.Type switch
            {
                "repository" when RepositoryName.IsValid(scope.Name) => _policy.Granted(account, scope.Name, scope.Actions),
                "registry" when scope.Name == "catalog" => _policy.Granted(account, "registry:catalog", scope.Actions),
                _ => [],
            };
            access.Add(new TokenAccessEntry(scope.Type, scope.Name, granted));
        }
        var now = _time.GetUtcNow();
        var claims = new TokenClaims(_issuer, account ?? "", _service, now.ToUnixTimeSeconds() + Lifetime, now.ToUnixTimeSeconds(), now.ToUnixTimeSeconds(),
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), access);
        var token = _codec.Encode(claims);
        var body = JsonSerializer.SerializeToUtf8Bytes(new TokenResponse(token, token, Lifetime, now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)), RegistryJsonContext.Default.TokenResponse);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}
