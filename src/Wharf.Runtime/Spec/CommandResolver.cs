using Wharf.Core.Errors;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>
/// Docker's merge of a container's Entrypoint/Cmd/Env/WorkingDir/User with its image's
/// (daemon <c>merge</c> and <c>mergeAndVerifyConfig</c>).
/// </summary>
internal static class CommandResolver
{
    /// <summary>
    /// The process args. A container entrypoint that is non-empty, or <c>[""]</c> (<c>--entrypoint ""</c>),
    /// hides both the image's entrypoint and its cmd; an empty non-null one hides only the entrypoint.
    /// </summary>
    public static IReadOnlyList<string> Args(ContainerSpecRequest r)
    {
        var entrypoint = r.Entrypoint;
        var cmd = r.Cmd;
        if (r.Image is { } image && (entrypoint is null || entrypoint.Count == 0))
        {
            if (cmd is null || cmd.Count == 0)
            {
                cmd = image.Cmd;
            }
            entrypoint ??= image.Entrypoint;
        }
        if (entrypoint is [""])
        {
            entrypoint = null;
        }
        if ((entrypoint is null || entrypoint.Count == 0) && (cmd is null || cmd.Count == 0))
        {
            throw WharfException.Invalid("no command specified");
        }
        return [.. entrypoint ?? [], .. cmd ?? []];
    }

    /// <summary>Image env entries whose key the container does not set are appended after the container's.</summary>
    public static IReadOnlyList<string> MergedConfigEnv(ContainerSpecRequest r)
    {
        var user = r.Env ?? [];
        var image = r.Image?.Env ?? [];
        if (user.Count == 0)
        {
            return image;
        }
        var keys = user.Select(Key).ToHashSet(StringComparer.Ordinal);
        return [.. user, .. image.Where(e => !keys.Contains(Key(e)))];
    }

    public static string WorkingDir(ContainerSpecRequest r)
    {
        var dir = r.WorkingDir.Length > 0 ? r.WorkingDir : r.Image?.WorkingDir ?? "";
        if (dir.Length == 0)
        {
            return "/";
        }
        if (!dir.StartsWith('/'))
        {
            throw WharfException.Invalid($"the working directory '{dir}' is invalid, it needs to be an absolute path");
        }
        return CleanPath(dir);
    }

    public static string User(ContainerSpecRequest r) => r.User.Length > 0 ? r.User : r.Image?.User ?? "";

    internal static string Key(string env)
    {
        var eq = env.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? env : env[..eq];
    }

    /// <summary>Lexical clean like Go's filepath.Clean for absolute paths.</summary>
    internal static string CleanPath(string path)
    {
        var parts = new List<string>();
        foreach (var p in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".")
            {
                continue;
            }
            if (p == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                continue;
            }
            parts.Add(p);
        }
        return "/" + string.Join('/', parts);
    }
}
