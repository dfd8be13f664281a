using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary>
/// The docker CLI's credentials file (<c>$DOCKER_CONFIG/config.json</c>, else
/// <c>~/.docker/config.json</c>): <c>auths</c> keyed by registry, each with base64 <c>user:pass</c>.
/// Other keys are kept as they are, so docker and wharf share one file.
/// </summary>
internal static class DockerConfigFile
{
    /// <summary>Docker Hub's key in <c>auths</c>.</summary>
    public const string IndexServer = "https://index.docker.io/v1/";

    public static string PathOf()
    {
        var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir))
        {
            dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        }

        return Path.Combine(dir, "config.json");
    }

    public static JsonObject Load()
    {
        var path = PathOf();
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [];
        }
        catch (JsonException e)
        {
            throw new CliErrorException($"loading config file {path}: {e.Message}");
        }
    }

    public static void Save(JsonObject config)
    {
        var path = PathOf();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The auths key for a registry host: Docker Hub's index URL for docker.io.</summary>
    public static string KeyFor(string? registry)
        => string.IsNullOrEmpty(registry) || registry is "docker.io" or "index.docker.io" or "registry-1.docker.io" || registry == IndexServer ? IndexServer : registry;

    /// <summary>The X-Registry-Auth value (base64url JSON) for a registry, or null without stored credentials.</summary>
    public static string? RegistryAuthFor(string registry)
    {
        var key = KeyFor(registry);
        var auths = Load()["auths"] as JsonObject;
        JsonObject? entry = null;
        foreach (var candidate in new[] { key, "https://" + key, "http://" + key })
        {
            if (auths?[candidate] is JsonObject e)
            {
                entry = e;
                break;
            }
        }

        if (entry is null)
        {
            return null;
        }

        var body = new JsonObject { ["serveraddress"] = key };
        if (entry["auth"] is JsonValue a && a.TryGetValue<string>(out var b64) && b64.Length > 0)
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                body["username"] = pair[..colon];
                body["password"] = pair[(colon + 1)..];
            }
        }

        if (entry["identitytoken"] is JsonValue t && t.TryGetValue<string>(out var token) && token.Length > 0)
        {
            body["identitytoken"] = token;
        }

        return Encode(body);
    }

    public static string Encode(JsonObject authConfig)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes(authConfig.ToJsonString())).Replace('+', '-').Replace('/', '_');

    /// <summary>The registry host of an image name, as the daemon normalises it.</summary>
    public static string RegistryOf(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return "docker.io";
        }

        var first = image[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? first : "docker.io";
    }
}
