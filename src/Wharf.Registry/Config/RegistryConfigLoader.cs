using System.Text.Json;
using Wharf.Registry.Wire;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Wharf.Registry.Config;

/// <summary>
/// Reads a config file: JSON when it looks like JSON (or ends in .json), YAML otherwise. A YAML
/// file in docker/distribution's format (it has a top-level <c>version</c>) is read too, so the
/// config of an existing registry works unchanged: http.addr, storage.filesystem.rootdirectory,
/// http.tls.certificate/key, auth.htpasswd.path and storage.s3 (bucket, region,
/// regionendpoint, accesskey, secretkey, rootdirectory, forcepathstyle) carry over.
/// </summary>
public static class RegistryConfigLoader
{
    public static async Task<RegistryConfig> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text, path.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
    }

    public static RegistryConfig Parse(string text, bool json)
    {
        if (json || text.TrimStart().StartsWith('{'))
        {
            try
            {
                return JsonSerializer.Deserialize(text, RegistryJsonContext.Default.RegistryConfig) ?? new RegistryConfig();
            }
            catch (JsonException e)
            {
                throw new FormatException("invalid registry config: " + e.Message, e);
            }
        }
        try
        {
            var generic = new DeserializerBuilder().Build().Deserialize<object?>(text);
            if (generic is Dictionary<object, object?> map && map.ContainsKey("version"))
            {
                return FromDistribution(map);
            }
            var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
            return deserializer.Deserialize<RegistryConfig?>(text) ?? new RegistryConfig();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException("invalid registry config: " + e.Message, e);
        }
    }

    private static RegistryConfig FromDistribution(Dictionary<object, object?> map)
    {
        static object? At(object? node, params string[] path)
        {
            foreach (var key in path)
            {
                if (node is not Dictionary<object, object?> d || !d.TryGetValue(key, out node))
                {
                    return null;
                }
            }
            return node;
        }
        var config = new RegistryConfig
        {
            Addr = At(map, "http", "addr") as string,
            Root = At(map, "storage", "filesystem", "rootdirectory") as string,
            TlsCert = At(map, "http", "tls", "certificate") as string,
            TlsKey = At(map, "http", "tls", "key") as string,
            Htpasswd = At(map, "auth", "htpasswd", "path") as string,
        };
        if (At(map, "storage", "s3") is Dictionary<object, object?>)
        {
            config.Storage = "s3";
            config.S3Bucket = At(map, "storage", "s3", "bucket") as string;
            config.S3Region = At(map, "storage", "s3", "region") as string;
            config.S3Endpoint = At(map, "storage", "s3", "regionendpoint") as string;
            config.S3AccessKey = At(map, "storage", "s3", "accesskey") as string;
            config.S3SecretKey = At(map, "storage", "s3", "secretkey") as string;
            config.S3Prefix = At(map, "storage", "s3", "rootdirectory") as string;
            if (At(map, "storage", "s3", "forcepathstyle") is string pathStyle)
            {
                config.S3PathStyle = pathStyle.Equals("true", StringComparison.OrdinalIgnoreCase);
            }
        }
        if (config.Htpasswd is not null)
        {
            config.Auth = "basic";
        }
        return config;
    }
}
