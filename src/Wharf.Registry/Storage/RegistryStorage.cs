using Wharf.Registry.Config;
using Wharf.Registry.Storage.S3;

namespace Wharf.Registry.Storage;

/// <summary>
/// The storage backend a config selects (<c>storage</c>: filesystem under <c>root</c>, or s3),
/// opened and checked: bad or missing settings and an unreachable bucket fail here, at start.
/// </summary>
internal sealed class RegistryStorage : IDisposable
{
    private readonly IDisposable? _owned;

    private RegistryStorage(IBlobStore blobs, IUploadStore uploads, IRepositoryStore repositories, string? root, IDisposable? owned)
    {
        Blobs = blobs;
        Uploads = uploads;
        Repositories = repositories;
        Root = root;
        _owned = owned;
    }

    public IBlobStore Blobs { get; }

    public IUploadStore Uploads { get; }

    public IRepositoryStore Repositories { get; }

    /// <summary>The filesystem root, or null for object storage.</summary>
    public string? Root { get; }

    public static async Task<RegistryStorage> OpenAsync(RegistryConfig config, TimeProvider time, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        switch (config.Storage?.ToLowerInvariant())
        {
            case null or "" or "filesystem":
                if (S3SettingGiven(config) is { } setting)
                {
                    throw new ArgumentException($"{setting} applies only with --storage s3");
                }
                var root = config.Root ?? throw new ArgumentException("--root (or root in the config file) is required");
                var fs = new FileSystemStorage(root, time);
                return new RegistryStorage(fs, fs, fs, fs.Root, null);
            case "s3":
                if (config.Root is not null)
                {
                    throw new ArgumentException("--root does not apply to --storage s3 (use --s3-prefix to keep several registries in one bucket)");
                }
                var settings = S3Settings.FromConfig(config, environment);
                var s3 = await S3Storage.OpenAsync(settings, time, cancellationToken).ConfigureAwait(false);
                return new RegistryStorage(s3, s3, s3, null, s3);
            default:
                throw new ArgumentException($"unknown storage \"{config.Storage}\" (want filesystem or s3)");
        }
    }

    public void Dispose() => _owned?.Dispose();

    private static string? S3SettingGiven(RegistryConfig c) =>
        c.S3Bucket is not null ? "--s3-bucket"
        : c.S3Endpoint is not null ? "--s3-endpoint"
        : c.S3Prefix is not null ? "--s3-prefix"
        : c.S3Region is not null ? "--s3-region"
        : c.S3PathStyle is not null ? "--s3-path-style"
        : c.S3AccessKey is not null || c.S3SecretKey is not null ? "s3_access_key/s3_secret_key"
        : null;
}
