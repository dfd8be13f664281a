using Wharf.Core.Images;
using Wharf.Oci.Image;

namespace Wharf.Images;

/// <summary>
/// The config of a committed image, as Docker builds it: the client's Config (or the
/// container's), the change instructions applied, then merged with the container's config and
/// the image's (Docker merges the image into the container's config when it creates the
/// container; Wharf keeps the container's config as the client sent it, so both merges happen
/// here).
/// </summary>
internal static class CommitConfig
{
    public static ContainerConfig Build(ImageCommitRequest request, ContainerConfig? imageConfig)
    {
        var config = ConfigChanges.Apply(request.UserConfig ?? request.ContainerConfig, request.Changes);
        config = Merge(config, request.ContainerConfig);
        return imageConfig is null ? config : Merge(config, imageConfig);
    }

    /// <summary>The container's config as Docker records it (merged with its image's).</summary>
    public static ContainerConfig Effective(ContainerConfig container, ContainerConfig? imageConfig)
        => imageConfig is null ? container : Merge(container, imageConfig);

    /// <summary>
    /// Docker's merge(userConf, imageConf): what the user left empty comes from the image;
    /// environment variables, labels, exposed ports and volumes are unions with the user's
    /// values winning.
    /// </summary>
    public static ContainerConfig Merge(ContainerConfig user, ContainerConfig image)
    {
        var result = user;
        if (user.User.Length == 0)
        {
            result = result with { User = image.User };
        }

        if (user.ExposedPorts is not { Count: > 0 })
        {
            result = result with { ExposedPorts = image.ExposedPorts };
        }
        else if (image.ExposedPorts is not null)
        {
            var ports = new Dictionary<string, EmptyObject>(user.ExposedPorts, StringComparer.Ordinal);
            foreach (var (port, v) in image.ExposedPorts)
            {
                ports.TryAdd(port, v);
            }

            result = result with { ExposedPorts = ports };
        }

        if (user.Env is not { Count: > 0 })
        {
            result = result with { Env = image.Env };
        }
        else if (image.Env is not null)
        {
            var env = new List<string>(user.Env);
            var keys = new HashSet<string>(user.Env.Select(KeyOf), StringComparer.Ordinal);
            env.AddRange(image.Env.Where(e => !keys.Contains(KeyOf(e))));
            result = result with { Env = env };
        }

        var labels = user.Labels is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(user.Labels, StringComparer.Ordinal);
        foreach (var (k, v) in image.Labels ?? new Dictionary<string, string>())
        {
            labels.TryAdd(k, v);
        }

        result = result with { Labels = labels };

        if (user.Entrypoint is not { Count: > 0 })
        {
            if (user.Cmd is not { Count: > 0 })
            {
                result = result with { Cmd = image.Cmd, ArgsEscaped = image.ArgsEscaped };
            }

            if (user.Entrypoint is null)
            {
                result = result with { Entrypoint = image.Entrypoint };
            }
        }

        if (image.Healthcheck is { } ih)
        {
            result = result with
            {
                Healthcheck = user.Healthcheck is not { } uh ? ih : uh with
                {
                    Test = uh.Test is { Count: > 0 } ? uh.Test : ih.Test,
                    Interval = uh.Interval == 0 ? ih.Interval : uh.Interval,
                    Timeout = uh.Timeout == 0 ? ih.Timeout : uh.Timeout,
                    StartPeriod = uh.StartPeriod == 0 ? ih.StartPeriod : uh.StartPeriod,
                    StartInterval = uh.StartInterval == 0 ? ih.StartInterval : uh.StartInterval,
                    Retries = uh.Retries == 0 ? ih.Retries : uh.Retries,
                },
            };
        }

        if (user.WorkingDir.Length == 0)
        {
            result = result with { WorkingDir = image.WorkingDir };
        }

        if (user.Volumes is not { Count: > 0 })
        {
            result = result with { Volumes = image.Volumes };
        }
        else if (image.Volumes is not null)
        {
            var volumes = new Dictionary<string, EmptyObject>(user.Volumes, StringComparer.Ordinal);
            foreach (var (k, v) in image.Volumes)
            {
                volumes[k] = v;
            }

            result = result with { Volumes = volumes };
        }

        if (string.IsNullOrEmpty(user.StopSignal))
        {
            result = result with { StopSignal = image.StopSignal };
        }

        return result;
    }

    private static string KeyOf(string env)
    {
        var eq = env.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? env : env[..eq];
    }
}
