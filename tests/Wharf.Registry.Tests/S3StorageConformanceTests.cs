using Wharf.Registry.Storage;
using Wharf.Registry.Storage.S3;

namespace Wharf.Registry.Tests;

/// <summary>The shared storage contract, run against the S3 backend on a real (moto) S3 server.</summary>
public sealed class S3StorageConformanceTests(MotoFixture moto) : StorageConformanceTests, IClassFixture<MotoFixture>
{
    private S3Storage? _storage;

    private protected override (IBlobStore Blobs, IUploadStore Uploads, IRepositoryStore Repos) Create()
    {
        _storage = S3StorageTests.Open(moto, "conformance-" + Guid.NewGuid().ToString("N")[..8]);
        return (_storage, _storage, _storage);
    }

    public override void Dispose() => _storage?.Dispose();
}
