using Wharf.Core.Containers;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

/// <summary>Which OCI runtime a container runs with (HostConfig.Runtime), checked as dockerd checks it.</summary>
public sealed partial class ContainerService
{
    /// <summary>The name recorded at create: the one asked for, or the daemon's default; an unknown one is the client's error.</summary>
    private string RuntimeNameAtCreate(string requested)
    {
        if (requested.Length == 0)
        {
            return _settings.DefaultRuntime;
        }
        return _settings.Runtimes.ContainsKey(requested)
            ? requested
            : throw WharfException.Invalid($"Unknown runtime specified {requested}");
    }

    /// <summary>The runtime a start uses; the daemon may have been restarted without the one the container was created with.</summary>
    private OciRuntimeConfig RuntimeOf(ContainerRecord rec)
    {
        var name = rec.Host.Runtime.Length > 0 ? rec.Host.Runtime : _settings.DefaultRuntime;
        return _settings.Runtimes.TryGetValue(name, out var runtime)
            ? runtime
            : throw WharfException.Invalid($"unknown or invalid runtime name: {name}");
    }
}
