using System.Net;

namespace Wharf.Distribution.Tests;

public sealed class BlobSourcesTests
{
    [Fact]
    public void AFailingMirrorHandsOverToTheUpstreamOnceAndTheUpstreamsErrorsStand()
    {
        using var hosts = new RegistryHosts(new RegistrySettings { StateRoot = "/nonexistent" });
        var mirror = new RegistrySession(hosts, new RegistryEndpoint("127.0.0.1:7000", false, IsMirror: true, "http"), "a/b", null, "pull");
        var upstream = new RegistrySession(hosts, new RegistryEndpoint("registry.example", true, IsMirror: false, null), "a/b", null, "pull");
        var fallbacks = new List<string>();
        var sources = new BlobSources([mirror, upstream], (s, e) => fallbacks.Add(s.Endpoint.Host + ": " + e.Message));
        Assert.Same(mirror, sources.Current);

        // A digest mismatch or a bad request is not the mirror being down.
        Assert.False(sources.FallBack(mirror, new RegistryException(HttpStatusCode.BadRequest, "BLOB_UPLOAD_INVALID", "no")));
        Assert.Same(mirror, sources.Current);

        Assert.True(sources.FallBack(mirror, new IOException("connection reset")));
        Assert.Same(upstream, sources.Current);

        // A second download that broke on the mirror too goes on with the upstream, logged once.
        Assert.True(sources.FallBack(mirror, new RegistryException(HttpStatusCode.ServiceUnavailable, "UNAVAILABLE", "busy")));
        Assert.Equal(["127.0.0.1:7000: connection reset"], fallbacks);

        Assert.False(sources.FallBack(upstream, new IOException("connection reset")));
        Assert.Same(upstream, sources.Current);
    }
}
