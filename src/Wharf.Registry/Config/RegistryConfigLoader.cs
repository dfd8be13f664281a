using System.Text.Json;
using Wharf.Registry.Wire;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Wharf.Registry.Config;

/// <summary>
/// Reads a config file: JSON when it looks like JSON (or ends in .json), YAML otherwise. A YAML
/// file in docker/distribution's format (it has a top-level <c>version</c>) is read too, so the
/// config of an existing registry works unchanged: http.addr, storage.filesystem.rootdirectory,
/// http.tls.certificate/key and auth.htpasswd.path carry over.
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
        if (config.Htpasswd is not null)
        {
            config.Auth = "basic";
        }
        return config;
    }
}
