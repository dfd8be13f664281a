namespace Wharf.Distribution.Tests;

public sealed class AuthChallengeTests
{
    [Fact]
    public void ParsesQuotedParametersWithCommas()
    {
        var p = AuthChallenge.ParseParameters("realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\"");
        Assert.Equal("https://auth.example/token", p["realm"]);
        Assert.Equal("registry.example", p["service"]);
        Assert.Equal("repository:a/b:pull,push", p["scope"]);
    }

    [Fact]
    public void ParsesUnquotedValuesAndEscapes()
    {
        var p = AuthChallenge.ParseParameters("realm=plain, error=\"say \\\"no\\\"\"");
        Assert.Equal("plain", p["realm"]);
        Assert.Equal("say \"no\"", p["error"]);
    }

    [Fact]
    public void EmptyHeaderHasNoParameters() => Assert.Empty(AuthChallenge.ParseParameters(null));
}
