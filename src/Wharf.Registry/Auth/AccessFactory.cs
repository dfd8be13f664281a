using System.Security.Cryptography;
using System.Text;
using Wharf.Registry.Config;

namespace Wharf.Registry.Auth;

/// <summary>Picks the access controller the config asks for.</summary>
internal static class AccessFactory
{
    public const string DefaultService = "wharf-registry";

    public static async Task<IAccessController> CreateAsync(RegistryConfig config, bool tls, CancellationToken cancellationToken)
    {
        var mode = config.Auth ?? (config.Htpasswd is not null ? "basic" : "none");
        var policy = new AccessPolicy(config.Access);
        var users = config.Htpasswd is { } path ? await Htpasswd.LoadAsync(path, TimeProvider.System, cancellationToken).ConfigureAwait(false) : null;
        var service = config.Service ?? DefaultService;
        switch (mode)
        {
            case "none":
                return new OpenAccess();
            case "basic":
                return new BasicAccess(users ?? throw new ArgumentException("basic auth needs an htpasswd file"), policy, service);
            case "token":
                byte[] key = config.TokenKey is { } keyFile
                    ? SHA256.HashData(Encoding.UTF8.GetBytes((await File.ReadAllTextAsync(keyFile, cancellationToken).ConfigureAwait(false)).Trim()))
                    : RandomNumberGenerator.GetBytes(32);
                return new TokenAccess(users, policy, new TokenCodec(key), config.Realm, service, config.TokenIssuer ?? service, TimeProvider.System);
            default:
                throw new ArgumentException($"unknown auth mode \"{mode}\" (none, basic or token)");
        }
    }
}
