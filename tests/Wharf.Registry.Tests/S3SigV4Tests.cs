using Wharf.Registry.Storage.S3;

namespace Wharf.Registry.Tests;

/// <summary>The signer against AWS's published Signature Version 4 examples.</summary>
public sealed class S3SigV4Tests
{
    private const string ExampleAccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string ExampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset May2013 = new(2013, 5, 24, 0, 0, 0, TimeSpan.Zero);

    private static string SignatureOf(string authorization) => authorization[(authorization.LastIndexOf("Signature=", StringComparison.Ordinal) + 10)..];

    [Fact]
    public void S3GetObjectWithRangeExample()
    {
        // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, "GET Object".
        var auth = SigV4.Authorization("GET", "/test.txt", "",
            [new("Host", "examplebucket.s3.amazonaws.com"), new("Range", "bytes=0-9"), new("x-amz-content-sha256", SigV4.EmptyPayloadHash), new("x-amz-date", "20130524T000000Z")],
            SigV4.EmptyPayloadHash, May2013, ExampleAccessKey, ExampleSecret, "us-east-1");
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            auth);
    }

    [Fact]
    public void S3PutObjectExample()
    {
        var body = "Welcome to Amazon S3."u8;
        var hash = SigV4.PayloadHash(body);
        Assert.Equal("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", hash);
        Assert.Equal("/test%24file.text", "/" + SigV4.UriEncode("test$file.text", keepSlash: true));
        var auth = SigV4.Authorization("PUT", "/test%24file.text", "",
            [
                new("Host", "examplebucket.s3.amazonaws.com"), new("Date", "Fri, 24 May 2013 00:00:00 GMT"), new("x-amz-content-sha256", hash),
                new("x-amz-date", "20130524T000000Z"), new("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ],
            hash, May2013, ExampleAccessKey, ExampleSecret, "us-east-1");
        Assert.Contains("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,", auth, StringComparison.Ordinal);
        Assert.Equal("98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd", SignatureOf(auth));
    }

    [Fact]
    public void S3ListObjectsExample()
    {
        var query = SigV4.CanonicalQuery([new("prefix", "J"), new("max-keys", "2")]);
        Assert.Equal("max-keys=2&prefix=J", query);
        var auth = SigV4.Authorization("GET", "/", query,
            [new("Host", "examplebucket.s3.amazonaws.com"), new("x-amz-content-sha256", SigV4.EmptyPayloadHash), new("x-amz-date", "20130524T000000Z")],
            SigV4.EmptyPayloadHash, May2013, ExampleAccessKey, ExampleSecret, "us-east-1");
        Assert.Equal("34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7", SignatureOf(auth));
    }

    [Fact]
    public void SigV4TestSuiteGetVanillaQueryOrder()
    {
        // The generic SigV4 test suite (service "service", 2015-08-30): query parameters sort by name.
        var query = SigV4.CanonicalQuery([new("Param2", "value2"), new("Param1", "value1")]);
        var auth = SigV4.Authorization("GET", "/", query,
            [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z")],
            SigV4.EmptyPayloadHash, new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero),
            "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service");
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
            "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            auth);
    }

    [Fact]
    public void EncodingKeepsOnlyUnreservedCharacters()
    {
        Assert.Equal("a/b%20c/%C3%BC~_-.", SigV4.UriEncode("a/b c/ü~_-.", keepSlash: true));
        Assert.Equal("a%2Fb%3D%2B", SigV4.UriEncode("a/b=+", keepSlash: false));
        Assert.Equal("continuation-token=a%2Bb%3D&list-type=2", SigV4.CanonicalQuery([new("list-type", "2"), new("continuation-token", "a+b=")]));
        Assert.Equal("uploads=", SigV4.CanonicalQuery([new("uploads", "")]));
    }
}
