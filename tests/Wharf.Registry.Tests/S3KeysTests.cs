using System.Text;
using Wharf.Oci;
using Wharf.Registry.Config;
using Wharf.Registry.Storage.S3;

namespace Wharf.Registry.Tests;

/// <summary>The S3 key layout and the URLs a request goes to (pure; no server).</summary>
public sealed class S3KeysTests
{
    private static readonly Digest D = Digest.ComputeSha256(Encoding.UTF8.GetBytes("x"));

    [Fact]
    public void LayoutMirrorsTheFilesystemStore()
    {
        Assert.Equal($"blobs/sha256/{D.Hex[..2]}/{D.Hex}", S3Keys.Blob(D));
        Assert.Equal(D, S3Keys.BlobDigest(S3Keys.Blob(D)));
        Assert.Null(S3Keys.BlobDigest($"blobs/sha256/zz/{D.Hex}"));
        Assert.Null(S3Keys.BlobDigest($"blobs/sha256/{D.Hex}"));
        Assert.Null(S3Keys.BlobDigest("repositories/x"));
        Assert.Equal($"repositories/a/b/_layers/sha256/{D.Hex}", S3Keys.Layer("a/b", D));
        Assert.Equal($"repositories/a/b/_manifests/revisions/sha256/{D.Hex}", S3Keys.Revision("a/b", D));
        Assert.Equal("repositories/a/b/_manifests/tags/v1.0", S3Keys.Tag("a/b", "v1.0"));
        Assert.Equal($"repositories/a/_referrers/sha256/{D.Hex}/sha256-{D.Hex}", S3Keys.Referrer("a", D, D));
        Assert.Equal(D, S3Keys.ReferrerDigest(S3Keys.ReferrersPrefix("a", D), S3Keys.Referrer("a", D, D)));
        Assert.Equal(D, S3Keys.DigestUnder(S3Keys.LayersPrefix("a/b"), S3Keys.Layer("a/b", D)));
        Assert.Null(S3Keys.DigestUnder(S3Keys.LayersPrefix("a/b"), S3Keys.Layer("a/b", D) + "/x"));
        Assert.Equal("uploads/0123/state", S3Keys.UploadState("0123"));
        Assert.Equal("uploads/0123/tail-7", S3Keys.UploadTail("0123", 7));
    }

    private static S3Settings Settings(Action<RegistryConfig> configure, Dictionary<string, string>? env = null)
    {
        var config = new RegistryConfig { Storage = "s3", S3Bucket = "my-bucket", S3AccessKey = "ak", S3SecretKey = "sk" };
        configure(config);
        return S3Settings.FromConfig(config, name => env is not null && env.TryGetValue(name, out var v) ? v : null);
    }

    [Fact]
    public void PathStyleAndVirtualHostedUrls()
    {
        using var pathStyle = new S3Client(Settings(c => { c.S3Endpoint = "http://127.0.0.1:9000"; c.S3Prefix = "/team/reg/"; }), TimeProvider.System);
        Assert.Equal("127.0.0.1:9000", pathStyle.Authority);
        Assert.Equal("/my-bucket/team/reg/blobs/x", pathStyle.CanonicalPath("blobs/x"));
        Assert.Equal("/my-bucket", pathStyle.CanonicalPath(null));

        using var aws = new S3Client(Settings(c => c.S3Region = "eu-west-1"), TimeProvider.System);
        Assert.Equal("https://s3.eu-west-1.amazonaws.com/", aws.Settings.Endpoint.ToString());
        Assert.Equal("my-bucket.s3.eu-west-1.amazonaws.com", aws.Authority);
        Assert.Equal("/repositories/a/_manifests/tags/v1", aws.CanonicalPath("repositories/a/_manifests/tags/v1"));
        Assert.Equal("/", aws.CanonicalPath(null));
    }

    [Fact]
    public void SettingsComeFromConfigThenEnvironment()
    {
        var env = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "env-ak", ["AWS_SECRET_ACCESS_KEY"] = "env-sk", ["AWS_REGION"] = "ap-south-1", ["AWS_SESSION_TOKEN"] = "tok" };
        var fromEnv = Settings(c => { c.S3AccessKey = null; c.S3SecretKey = null; }, env);
        Assert.Equal(("env-ak", "env-sk", "ap-south-1", "tok"), (fromEnv.AccessKey, fromEnv.SecretKey, fromEnv.Region, fromEnv.SessionToken));
        Assert.False(fromEnv.PathStyle);
        Assert.Equal(S3Settings.DefaultPartSize, fromEnv.PartSize);
        var fromConfig = Settings(c => { c.S3Region = "us-west-2"; c.S3PartSizeMb = 16; c.S3Endpoint = "http://minio:9000"; c.S3PathStyle = false; }, env);
        Assert.Equal(("ak", "sk", "us-west-2", 16 * 1024 * 1024, false), (fromConfig.AccessKey, fromConfig.SecretKey, fromConfig.Region, fromConfig.PartSize, fromConfig.PathStyle));
        Assert.Equal("", Settings(_ => { }).Prefix);
        Assert.Equal("a/b/", Settings(c => c.S3Prefix = "a/b").Prefix);
    }

    [Theory]
    [InlineData("bucket", "", "needs a bucket: --s3-bucket")]
    [InlineData("bucket", "Bad_Bucket", "invalid S3 bucket name")]
    [InlineData("endpoint", "ftp://x", "invalid --s3-endpoint")]
    [InlineData("endpoint", "http://x:9000/path", "invalid --s3-endpoint")]
    [InlineData("prefix", "a//b", "invalid --s3-prefix")]
    [InlineData("prefix", "a/../b", "invalid --s3-prefix")]
    [InlineData("credentials", "", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")]
    [InlineData("partsize", "4", "invalid s3_part_size_mb")]
    public void BadSettingsAreRefusedWithTheFlagNamed(string what, string value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => Settings(c =>
        {
            switch (what)
            {
                case "bucket": c.S3Bucket = value; break;
                case "endpoint": c.S3Endpoint = value; break;
                case "prefix": c.S3Prefix = value; break;
                case "credentials": c.S3SecretKey = null; break;
                case "partsize": c.S3PartSizeMb = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        }));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigFilesNameTheS3Settings()
    {
        var yaml = RegistryConfigLoader.Parse("storage: s3\ns3_endpoint: http://127.0.0.1:9000\ns3_bucket: b1\ns3_prefix: p\ns3_path_style: true\ns3_access_key: ak\ns3_secret_key: sk\ns3_part_size_mb: 6\n", json: false);
        Assert.Equal(("s3", "http://127.0.0.1:9000", "b1", "p", true, "ak", "sk", 6),
            (yaml.Storage, yaml.S3Endpoint, yaml.S3Bucket, yaml.S3Prefix, yaml.S3PathStyle, yaml.S3AccessKey, yaml.S3SecretKey, yaml.S3PartSizeMb));
        var json = RegistryConfigLoader.Parse("{\"storage\":\"s3\",\"s3_bucket\":\"b2\",\"s3_region\":\"eu-west-1\",\"s3_path_style\":false}", json: true);
        Assert.Equal(("s3", "b2", "eu-west-1", false), (json.Storage, json.S3Bucket, json.S3Region, json.S3PathStyle));
        var distribution = RegistryConfigLoader.Parse(
            "version: 0.1\nstorage:\n  s3:\n    accesskey: ak\n    secretkey: sk\n    region: us-east-1\n    regionendpoint: http://127.0.0.1:9000\n    bucket: b3\n    rootdirectory: /reg\n    forcepathstyle: true\n", json: false);
        Assert.Equal(("s3", "b3", "http://127.0.0.1:9000", "ak", "sk", "/reg", true),
            (distribution.Storage, distribution.S3Bucket, distribution.S3Endpoint, distribution.S3AccessKey, distribution.S3SecretKey, distribution.S3Prefix, distribution.S3PathStyle));
    }

    [Theory]
    [InlineData("tape", null, null, "unknown storage \"tape\"")]
    [InlineData(null, "/tmp/x", "b", "--s3-bucket applies only with --storage s3")]
    [InlineData(null, null, null, "--root (or root in the config file) is required")]
    [InlineData("s3", "/tmp/x", "bucket", "--root does not apply to --storage s3")]
    public async Task StorageSelectionRefusesContradictions(string? storage, string? root, string? bucket, string message)
    {
        var config = new RegistryConfig { Storage = storage, Root = root, S3Bucket = bucket };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Wharf.Registry.Storage.RegistryStorage.OpenAsync(config, TimeProvider.System, _ => null, CancellationToken.None));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
