using System.Text.Json;
using Wharf.Registry.Wire;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Wharf.Registry.Config;

/// <summary>Reads a config file: JSON when it looks like JSON (or ends in .json), YAML otherwise.</summary>
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
            var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
            return deserializer.Deserialize<RegistryConfig?>(text) ?? new RegistryConfig();
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException("invalid registry config: " + e.Message, e);
        }
    }
}
