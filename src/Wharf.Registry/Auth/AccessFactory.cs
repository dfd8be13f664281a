using Wharf.Registry.Config;

namespace Wharf.Registry.Auth;

/// <summary>Picks the access controller the config asks for.</summary>
internal static class AccessFactory
{
    public static Task<IAccessController> CreateAsync(RegistryConfig config, bool tls, CancellationToken cancellationToken)
    {
        var mode = config.Auth ?? (config.Htpasswd is not null ? "basic" : "none");
        return mode switch
        {
            "none" => Task.FromResult<IAccessController>(new OpenAccess()),
            _ => throw new ArgumentException($"unknown auth mode \"{mode}\" (none, basic or token)"),
        };
    }
}
