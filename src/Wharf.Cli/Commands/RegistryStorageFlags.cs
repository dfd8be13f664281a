using Wharf.Cli.Cli;
using Wharf.Registry.Config;

namespace Wharf.Cli.Commands;

/// <summary>
/// The storage flags <c>registry serve</c> and <c>registry gc</c> share: which backend, and
/// where in S3. Credentials are not flags (they would show in the process list): the config
/// file's s3_access_key/s3_secret_key, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
/// </summary>
internal static class RegistryStorageFlags
{
    public static IReadOnlyList<FlagSpec> Specs { get; } =
    [
        FlagSpec.String("storage", null, "Storage backend: filesystem (under --root) or s3 (keys: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the config file)", "string", "filesystem"),
        FlagSpec.String("s3-endpoint", null, "S3 endpoint URL, e.g. http://127.0.0.1:9000 (default: AWS's regional endpoint)"),
        FlagSpec.String("s3-bucket", null, "S3 bucket (must exist)"),
        FlagSpec.String("s3-region", null, "S3 region requests are signed for (default $AWS_REGION or us-east-1)"),
        FlagSpec.String("s3-prefix", null, "Key prefix to keep the registry under inside the bucket"),
        FlagSpec.Bool("s3-path-style", null, "Path-style URLs (endpoint/bucket/key); the default with --s3-endpoint"),
    ];

    /// <summary>Reads --config (when given), then lets the storage flags override it.</summary>
    public static async Task<RegistryConfig> LoadConfigAsync(ParsedFlags f, CancellationToken cancellationToken)
    {
        RegistryConfig config;
        try
        {
            config = f.String("config") is { } path
                ? await RegistryConfigLoader.LoadAsync(path, cancellationToken).ConfigureAwait(false)
                : new RegistryConfig();
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            throw new CliErrorException(e.Message);
        }
        config.Root = f.String("root") ?? config.Root;
        if (f.Changed("storage") || config.Storage is null)
        {
            config.Storage = f.String("storage");
        }
        config.S3Endpoint = f.String("s3-endpoint") ?? config.S3Endpoint;
        config.S3Bucket = f.String("s3-bucket") ?? config.S3Bucket;
        config.S3Region = f.String("s3-region") ?? config.S3Region;
        config.S3Prefix = f.String("s3-prefix") ?? config.S3Prefix;
        if (f.Changed("s3-path-style"))
        {
            config.S3PathStyle = f.Bool("s3-path-style");
        }
        return config;
    }
}
