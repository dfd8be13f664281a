using System.Net;
using System.Text.Json;

namespace Wharf.Registry.Tests;

public sealed class ListingTests
{
    [Fact]
    public async Task TagsAreListedInLexicalOrderWithPaging()
    {
        await using var reg = await TestRegistry.StartAsync();
        foreach (var tag in new[] { "b", "a", "C", "10", "2" })
        {
            await reg.PushImageAsync("paged", tag);
        }
        using (var all = await reg.Client.GetAsync("/v2/paged/tags/list"))
        {
            Assert.Equal(["10", "2", "C", "a", "b"], Tags(await all.Content.ReadAsStringAsync()));
            Assert.False(all.Headers.Contains("Link"));
        }
        using (var first = await reg.Client.GetAsync("/v2/paged/tags/list?n=2"))
        {
            Assert.Equal(["10", "2"], Tags(await first.Content.ReadAsStringAsync()));
            Assert.Equal("</v2/paged/tags/list?n=2&last=2>; rel=\"next\"", first.Headers.GetValues("Link").Single());
        }
        using (var next = await reg.Client.GetAsync("/v2/paged/tags/list?n=2&last=2"))
        {
            Assert.Equal(["C", "a"], Tags(await next.Content.ReadAsStringAsync()));
        }
        using (var last = await reg.Client.GetAsync("/v2/paged/tags/list?n=2&last=a"))
        {
            Assert.Equal(["b"], Tags(await last.Content.ReadAsStringAsync()));
            Assert.False(last.Headers.Contains("Link"));
        }
        using var bad = await reg.Client.GetAsync("/v2/paged/tags/list?n=-1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var unknown = await reg.Client.GetAsync("/v2/nope/tags/list");
        Assert.Equal("NAME_UNKNOWN", await TestRegistry.ErrorCodeAsync(unknown));
    }

    private static string[] Tags(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("tags").EnumerateArray().Select(e => e.GetString()!)];
    }

    [Fact]
    public async Task CatalogListsNestedRepositories()
    {
        await using var reg = await TestRegistry.StartAsync();
        await reg.PushImageAsync("zeta", "t");
        await reg.PushImageAsync("alpha/beta", "t");
        await reg.PushImageAsync("alpha", "t");
        using var r = await reg.Client.GetAsync("/v2/_catalog");
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        Assert.Equal(["alpha", "alpha/beta", "zeta"], doc.RootElement.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()!));
        using var page = await reg.Client.GetAsync("/v2/_catalog?n=1&last=alpha");
        using var pageDoc = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
        Assert.Equal(["alpha/beta"], pageDoc.RootElement.GetProperty("repositories").EnumerateArray().Select(e => e.GetString()!));
        Assert.Contains("last=alpha%2Fbeta", page.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAnswersInDockerHubShape()
    {
        await using var reg = await TestRegistry.StartAsync();
        await reg.PushImageAsync("tools/busybox", "latest");
        await reg.PushImageAsync("other", "latest");
        using var r = await reg.Client.GetAsync("/v1/search?q=busy&n=25");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("num_results").GetInt32());
        Assert.Equal("busy", root.GetProperty("query").GetString());
        var hit = Assert.Single(root.GetProperty("results").EnumerateArray());
        Assert.Equal("tools/busybox", hit.GetProperty("name").GetString());
        Assert.Equal("", hit.GetProperty("description").GetString());
        Assert.Equal(0, hit.GetProperty("star_count").GetInt32());
        Assert.False(hit.GetProperty("is_official").GetBoolean());
        Assert.False(hit.GetProperty("is_automated").GetBoolean());
    }

    [Fact]
    public async Task UnknownPathsAndMethodsGetSpecErrors()
    {
        await using var reg = await TestRegistry.StartAsync();
        using var unknown = await reg.Client.GetAsync("/v3/whatever");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("UNSUPPORTED", await TestRegistry.ErrorCodeAsync(unknown));
        using var method = await reg.Client.PostAsync("/v2/x/manifests/latest", null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
    }
}
