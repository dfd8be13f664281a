using Wharf.TestSupport;

namespace Wharf.Registry.Tests;

/// <summary>One moto S3 server and bucket per test class; each test keeps to its own key prefix.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _moto;

    internal MotoServer Moto => _moto ?? throw new InvalidOperationException("moto is not running");

    public string Bucket { get; private set; } = "";

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
