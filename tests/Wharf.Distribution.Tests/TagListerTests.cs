namespace Wharf.Distribution.Tests;

public sealed class TagListerTests
{
    [Fact]
    public void FollowsTheNextLinkOnTheSameRegistryOnly()
    {
        var page = new Uri("http://r:5000/v2/a/b/tags/list");
        using var next = new HttpResponseMessage();
        next.Headers.TryAddWithoutValidation("Link", "</v2/a/b/tags/list?n=2&last=v2>; rel=\"next\"");
        Assert.Equal(new Uri("http://r:5000/v2/a/b/tags/list?n=2&last=v2"), TagLister.NextPage(page, next));

        using var elsewhere = new HttpResponseMessage();
        elsewhere.Headers.TryAddWithoutValidation("Link", "<http://evil:1/v2/a/b/tags/list?last=x>; rel=\"next\"");
        Assert.Null(TagLister.NextPage(page, elsewhere));

        using var last = new HttpResponseMessage();
        Assert.Null(TagLister.NextPage(page, last));
    }
}
