using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>Docker's CreateDaemonEnvironment: PATH, HOSTNAME and (with a tty) TERM first, then the config's env replacing or removing by key.</summary>
internal static class EnvironmentBuilder
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static IReadOnlyList<string> Build(string hostname, bool tty, IReadOnlyList<string> configEnv)
    {
        List<string?> env = ["PATH=" + DefaultPath, "HOSTNAME=" + hostname];
        if (tty)
        {
            env.Add("TERM=xterm");
        }
        return ReplaceOrAppend(env, configEnv);
    }

    /// <summary>A value with <c>=</c> replaces the default with that key or is appended; a bare key removes the default.</summary>
    internal static IReadOnlyList<string> ReplaceOrAppend(List<string?> defaults, IReadOnlyList<string> overrides)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < defaults.Count; i++)
        {
            index[CommandResolver.Key(defaults[i]!)] = i;
        }
        foreach (var value in overrides)
        {
            var eq = value.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                if (index.TryGetValue(value, out var gone))
                {
                    defaults[gone] = null;
                }
                continue;
            }
            if (index.TryGetValue(value[..eq], out var i))
            {
                defaults[i] = value;
            }
            else
            {
                // Like Docker, appended entries are not indexed: a later duplicate is appended too.
                defaults.Add(value);
            }
        }
        return [.. defaults.Where(e => !string.IsNullOrEmpty(e)).Select(e => e!)];
    }
}
