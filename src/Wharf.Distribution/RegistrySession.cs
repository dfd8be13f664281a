using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Wharf.Core.Distribution;
using Wharf.Distribution.Wire;

namespace Wharf.Distribution;

/// <summary>
/// Requests to one repository on one endpoint with one set of credentials. The first use pings
/// <c>/v2/</c> to learn the scheme (HTTPS, or plain HTTP where allowed) and the auth challenge;
/// bearer tokens are fetched for the repository scope and renewed when a request is refused.
/// </summary>
internal sealed class RegistrySession(RegistryHosts hosts, RegistryEndpoint endpoint, string repository, RegistryAuth? auth, string actions)
{
    private readonly HttpClient _http = hosts.ClientFor(endpoint);
    private Uri? _base;
    private AuthChallenge? _challenge;
    private string? _authorization;

    public RegistryEndpoint Endpoint => endpoint;

    public string Repository => repository;

    public Uri BaseUri => _base ?? throw new InvalidOperationException("session not started");

    /// <summary>Pings the registry once: scheme, then the challenge and a first token.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_base is not null)
        {
            return;
        }

        var schemes = endpoint.ForcedScheme is { } forced ? [forced] : endpoint.Secure ? new[] { "https" } : ["https", "http"];
        Exception? last = null;
        var lastScheme = schemes[0];
        foreach (var scheme in schemes)
        {
            lastScheme = scheme;
            var baseUri = new Uri($"{scheme}://{endpoint.Host}/");
            try
            {
                using var ping = await _http.GetAsync(new Uri(baseUri, "v2/"), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (ping.StatusCode == HttpStatusCode.Unauthorized)
                {
                    _challenge = AuthChallenge.From(ping);
                }
                else if (!ping.IsSuccessStatusCode && ping.StatusCode != HttpStatusCode.NotFound)
                {
                    throw new HttpRequestException($"{ping.StatusCode}", null, ping.StatusCode);
                }

                _base = baseUri;
                break;
            }
            catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                last = e.InnerException is AuthenticationException authError
                    ? hosts.TlsErrorFor(endpoint.Host) is { } tls ? new AuthenticationException(tls, authError) : authError
                    : e;
            }
        }

        if (_base is null)
        {
            if (lastScheme == "https" && last is AuthenticationException && hosts.TlsErrorFor(endpoint.Host) is null
                && await PlainHttpProbe.AnswersPlainHttpAsync(endpoint.Host, cancellationToken).ConfigureAwait(false))
            {
                last = new HttpRequestException(PlainHttpProbe.Message, last);
            }

            throw new HttpRequestException($"Get \"{lastScheme}://{endpoint.Host}/v2/\": {last?.Message}", last);
        }

        await AuthorizeAsync(_challenge, cancellationToken).ConfigureAwait(false);
    }

    public Uri Url(string relative) => new(BaseUri, $"v2/{repository}/{relative}");

    /// <summary>Sends a request built by <paramref name="make"/>, renewing the token once on 401.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; ; attempt++)
        {
            var request = make();
            if (_authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", _authorization);
            }

            var response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0)
            {
                return response;
            }

            var challenge = AuthChallenge.From(response);
            if (challenge is null)
            {
                return response;
            }

            response.Dispose();
            _challenge = challenge;
            await AuthorizeAsync(challenge, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AuthorizeAsync(AuthChallenge? challenge, CancellationToken cancellationToken)
    {
        if (challenge is null)
        {
            return;
        }

        if (challenge.Scheme == "basic")
        {
            if (auth is { Username: { Length: > 0 } user })
            {
                _authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + auth.Password));
            }

            return;
        }

        if (auth?.RegistryToken is { Length: > 0 } given)
        {
            _authorization = "Bearer " + given;
            return;
        }

        var realm = challenge.Get("realm") ?? throw new RegistryException(HttpStatusCode.Unauthorized, "UNAUTHORIZED", "the registry's bearer challenge names no realm");
        var scope = repository.Length == 0 ? challenge.Get("scope") : $"repository:{repository}:{actions}";
        var token = await FetchTokenAsync(realm, challenge.Get("service"), scope, cancellationToken).ConfigureAwait(false);
        _authorization = "Bearer " + token;
    }

    /// <summary>Docker's token flow: GET with basic credentials, or POST a refresh token (identity token).</summary>
    internal async Task<string> FetchTokenAsync(string realm, string? service, string? scope, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (service is not null)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        if (!string.IsNullOrEmpty(scope))
        {
            query.Add("scope=" + Uri.EscapeDataString(scope));
        }

        HttpRequestMessage request;
        if (auth?.IdentityToken is { Length: > 0 } refresh)
        {
            var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refresh, ["client_id"] = "wharf" };
            if (service is not null)
            {
                form["service"] = service;
            }

            if (!string.IsNullOrEmpty(scope))
            {
                form["scope"] = scope;
            }

            request = new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
        }
        else
        {
            var sep = realm.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            request = new HttpRequestMessage(HttpMethod.Get, query.Count == 0 ? realm : realm + sep + string.Join("&", query));
            if (auth is { Username: { Length: > 0 } user })
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + auth.Password)));
            }
        }

        using (request)
        {
            var client = hosts.ClientFor(new RegistryEndpoint(request.RequestUri!.Authority, !hosts.IsInsecure(request.RequestUri.Authority), false, null));
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw await RegistryErrorReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryException(response.StatusCode, null, $"token server answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            TokenResponse? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(body, DistributionWireContext.Default.TokenResponse);
            }
            catch (JsonException e)
            {
                throw new RegistryException(response.StatusCode, null, "the token server's answer is not valid JSON: " + e.Message);
            }

            return parsed?.Token is { Length: > 0 } t ? t
                : parsed?.AccessToken is { Length: > 0 } a ? a
                : throw new RegistryException(HttpStatusCode.Unauthorized, "UNAUTHORIZED", "the token server answered no token");
        }
    }
}
