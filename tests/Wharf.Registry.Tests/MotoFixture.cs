using Wharf.Registry.Config;
using Wharf.Registry.Storage.S3;
using Wharf.TestSupport;

namespace Wharf.Registry.Tests;

/// <summary>One moto S3 server and bucket per test class; each test keeps to its own key prefix.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _moto;

    internal MotoServer Moto => _moto ?? throw new InvalidOperationException("moto is not running");

    public string Bucket { get; private set; } = "";

    /// <summary>An S3 client for <paramref name="endpoint"/> (moto, or a proxy in front of it) with moto's keys and 5 MiB parts.</summary>
    internal static S3Client Client(Uri endpoint, string bucket, string prefix, S3RetryPolicy? retry = null)
    {
        var settings = S3Settings.FromConfig(
            new RegistryConfig
            {
                Storage = "s3", S3Endpoint = endpoint.ToString(), S3Bucket = bucket, S3Prefix = prefix,
                S3AccessKey = MotoServer.AccessKey, S3SecretKey = MotoServer.SecretKey, S3PartSizeMb = 5,
            },
            _ => null);
        return new S3Client(settings, TimeProvider.System) { Retry = retry ?? S3RetryPolicy.Default };
    }

    public async Task InitializeAsync()
    {
        _moto = await MotoServer.StartAsync();
        Bucket = await _moto.CreateBucketAsync();
    }

    public async Task DisposeAsync()
    {
        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }
    }
}
