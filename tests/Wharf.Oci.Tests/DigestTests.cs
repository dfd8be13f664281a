using System.Text;

namespace Wharf.Oci.Tests;

public sealed class DigestTests
{
    // Computed independently with: printf 'layer1' | sha256sum, etc., and for the chain
    // printf '%s %s' "$chain" "$next" | sha256sum (no trailing newline).
    private const string Layer1 = "sha256:77ea7eee3d80b1a38f83906dd3048e2689457eb90e18a7d12f839c5ae37106a2";
    private const string Layer2 = "sha256:95cf1a2e1698fe3ca1fcc3f653119146b271d0b62e487ec264441e886a11bd06";
    private const string Layer3 = "sha256:a0e70458d19e37e14d6388030a017c587283e2fb6ef10c0744cad0294c47e8f8";
    private const string Chain12 = "sha256:9c7a0b8937394482a0afcc4bef0ca0aba0d74084bd9f60198ec7fac434e5436d";
    private const string Chain123 = "sha256:1512378f2edc09c9e21c7511cc1aaf7c6d42d3b6ff301027b8527b8b23c3ce70";
    private const string EmptySha256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData(EmptySha256, "sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f", "sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")]
    public void ParsesValid(string value, string algorithm, string hex)
    {
        var d = Digest.Parse(value);
        Assert.Equal(algorithm, d.Algorithm);
        Assert.Equal(hex, d.Hex);
        Assert.Equal(value, d.Value);
        Assert.Equal(value, d.ToString());
        Assert.Equal(hex[..12], d.Short);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256")]
    [InlineData(":e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:")]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555")]
    [InlineData("sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha384:38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:../../etc/passwd")]
    public void RejectsInvalid(string? value)
    {
        Assert.False(Digest.TryParse(value, out _));
        if (value is not null)
        {
            Assert.Throws<FormatException>(() => Digest.Parse(value));
        }
    }

    [Fact]
    public void ComputesSha256()
    {
        Assert.Equal(EmptySha256, Digest.ComputeSha256([]).Value);
        Assert.Equal(Layer1, Digest.ComputeSha256(Encoding.ASCII.GetBytes("layer1")).Value);
    }

    [Fact]
    public async Task ComputesSha256FromStream()
    {
        using var s = new MemoryStream(Encoding.ASCII.GetBytes("layer2"));
        Assert.Equal(Layer2, (await Digest.ComputeSha256Async(s, CancellationToken.None)).Value);
    }

    [Fact]
    public void ChainIdOfOneLayerIsItsDiffId()
        => Assert.Equal(Layer1, Digest.ChainId([Digest.Parse(Layer1)]).Value);

    [Fact]
    public void ChainIdMatchesShellVector()
    {
        Assert.Equal(Chain12, Digest.ChainId([Digest.Parse(Layer1), Digest.Parse(Layer2)]).Value);
        Assert.Equal(Chain123, Digest.ChainId([Digest.Parse(Layer1), Digest.Parse(Layer2), Digest.Parse(Layer3)]).Value);
    }

    [Fact]
    public void ChainIdOfNothingThrows()
        => Assert.Throws<ArgumentException>(() => Digest.ChainId([]));

    [Theory]
    [InlineData("0123456789abcdef", true)]
    [InlineData("", false)]
    [InlineData("0123456789ABCDEF", false)]
    [InlineData("xyz", false)]
    public void IsLowerHex(string s, bool expected) => Assert.Equal(expected, Digest.IsLowerHex(s));
}
