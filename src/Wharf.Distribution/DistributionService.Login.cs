using System.Net;
using System.Text.Json;
using Wharf.Core.Distribution;
using Wharf.Core.Errors;
using Wharf.Distribution.Wire;
using Wharf.Oci;
using Wharf.Oci.Image;
using Wharf.Oci.References;

namespace Wharf.Distribution;

public sealed partial class DistributionService
{
    /// <summary>
    /// Docker's login check: ping the registry, then prove the credentials the way it asks
    /// (a token for bearer, <c>/v2/</c> with them for basic). A registry without auth accepts anyone.
    /// </summary>
    public async Task<string> LoginAsync(RegistryAuth auth, CancellationToken cancellationToken)
    {
        var host = LoginHost(auth.ServerAddress);
        var endpoint = _hosts.EndpointFor(host);
        var session = new RegistrySession(_hosts, endpoint, "", auth, "");
        try
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(session.BaseUri, "v2/")), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new WharfException(ErrorKind.Unauthorized, $"login attempt to {session.BaseUri}v2/ failed with status: {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return "";
        }
        catch (RegistryException e) when (e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new WharfException(ErrorKind.Unauthorized, "Get \"" + TryBase(session) + "v2/\": " + e.Detail);
        }
        catch (HttpRequestException e)
        {
            throw new WharfException(ErrorKind.Internal, e.Message, e);
        }
    }

    private static string TryBase(RegistrySession s)
    {
        try
        {
            return s.BaseUri.ToString();
        }
        catch (InvalidOperationException)
        {
            return "https://" + s.Endpoint.Host + "/";
        }
    }

    /// <summary>The registry of a login's server address: a URL or host; Docker Hub's index URL by default.</summary>
    private static string LoginHost(string? serverAddress)
    {
        var s = string.IsNullOrWhiteSpace(serverAddress) ? ImageReference.DefaultDomain : serverAddress.Trim();
        var scheme = s.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            s = s[(scheme + 3)..];
        }

        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            s = s[..slash];
        }

        return s is "index.docker.io" or "registry-1.docker.io" ? ImageReference.DefaultDomain : s;
    }

    public async Task<DistributionInspect> InspectAsync(string name, RegistryAuth? auth, CancellationToken cancellationToken)
    {
        var reference = ParseName(name);
        if (reference.Tag is not null && reference.Digest is not null)
        {
            reference = reference.WithoutTagOrDigest().WithDigest(reference.Digest.Value);
        }

        reference = reference.WithDefaultTag();
        var session = new RegistrySession(_hosts, _hosts.EndpointFor(reference.Domain), reference.Path, auth, "pull");
        try
        {
            var m = await ManifestFetcher.FetchAsync(session, reference.Digest?.Value ?? reference.Tag!, cancellationToken).ConfigureAwait(false);
            var descriptor = new Descriptor { MediaType = m.MediaType, Digest = m.Digest.Value, Size = m.Bytes.Length };
            var platforms = new List<Platform>();
            if (m.IsIndex)
            {
                platforms.AddRange(ManifestFetcher.ParseIndex(m).Manifests.Where(e => e.Platform is not null).Select(e => e.Platform!));
            }
            else
            {
                var manifest = ManifestFetcher.ParseManifest(m);
                var config = await BlobDownloader.ReadSmallAsync(new BlobSources([session], (_, _) => { }), Digest.Parse(manifest.Config.Digest), manifest.Config.Size, MaxConfigBytes, cancellationToken).ConfigureAwait(false);
                try
                {
                    var c = JsonSerializer.Deserialize(config, OciJsonContext.Default.ImageConfig);
                    if (c is not null)
                    {
                        platforms.Add(new Platform { Os = c.Os, Architecture = c.Architecture, Variant = c.Variant });
                    }
                }
                catch (JsonException)
                {
                    // A config that does not parse names no platform.
                }
            }

            return new DistributionInspect(descriptor, platforms);
        }
        catch (Exception e) when (e is RegistryException or HttpRequestException or IOException)
        {
            throw Translate(e, reference, push: false);
        }
    }

    /// <summary>
    /// Proxies the registry's <c>/v1/search</c> (Docker Hub's shape). A term that starts with a
    /// registry host searches that registry; others search Docker Hub.
    /// </summary>
    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string term, int limit, RegistryAuth? auth, CancellationToken cancellationToken)
    {
        var domain = ImageReference.DefaultDomain;
        var query = term;
        var slash = term.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && (term[..slash].Contains('.', StringComparison.Ordinal) || term[..slash].Contains(':', StringComparison.Ordinal) || term[..slash] == "localhost"))
        {
            domain = term[..slash];
            query = term[(slash + 1)..];
        }

        var host = domain == ImageReference.DefaultDomain ? "index.docker.io" : domain;
        var session = new RegistrySession(_hosts, new RegistryEndpoint(host, !_hosts.IsInsecure(host), false, null), "", auth, "");
        try
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            var url = new Uri(session.BaseUri, $"v1/search?q={Uri.EscapeDataString(query)}&n={limit}");
            using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var e = await RegistryErrorReader.ReadAsync(response, cancellationToken).ConfigureAwait(false);
                throw new WharfException(response.StatusCode == HttpStatusCode.NotFound ? ErrorKind.NotFound : ErrorKind.Internal, $"Unexpected status code {(int)response.StatusCode}: {e.Detail}");
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            SearchResponse? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(body, DistributionWireContext.Default.SearchResponse);
            }
            catch (JsonException e)
            {
                throw new WharfException(ErrorKind.Internal, "invalid search response: " + e.Message, e);
            }

            return [.. (parsed?.Results ?? []).Take(limit).Select(r => new SearchResult(r.Name, r.Description ?? "", r.StarCount, r.IsOfficial, r.IsAutomated))];
        }
        catch (RegistryException e)
        {
            throw new WharfException(e.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? ErrorKind.Unauthorized : ErrorKind.Internal, e.Detail);
        }
        catch (HttpRequestException e)
        {
            throw new WharfException(ErrorKind.Internal, e.Message, e);
        }
    }
}
