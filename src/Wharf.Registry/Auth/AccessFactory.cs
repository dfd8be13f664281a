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
                return new TokenAccess(users, policy, await CodecAsync(config, cancellationToken).ConfigureAwait(false), config.Realm, service, config.TokenIssuer ?? service, TimeProvider.System);
            default:
                throw new ArgumentException($"unknown auth mode \"{mode}\" (none, basic or token)");
        }
    }

    private static async Task<TokenCodec> CodecAsync(RegistryConfig config, CancellationToken cancellationToken)
    {
        Dictionary<string, RSA>? trusted = null;
        if (config.TokenJwks is { } jwks)
        {
            try
            {
                trusted = JwkSet.Parse(await File.ReadAllTextAsync(jwks, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or CryptographicException)
            {
                throw new ArgumentException($"invalid JWK set {jwks}: {e.Message}", e);
            }
        }
        if (config.TokenSigningKey is { } pem)
        {
            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(await File.ReadAllTextAsync(pem, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                rsa.Dispose();
                throw new ArgumentException($"token signing key {pem} is not a PEM RSA private key: {e.Message}", e);
            }
            return TokenCodec.Rsa(rsa, trusted);
        }
        if (trusted is not null)
        {
            throw new ArgumentException("token_jwks needs token_signing_key (RS256 tokens)");
        }
        byte[] key = config.TokenKey is { } keyFile
            ? SHA256.HashData(Encoding.UTF8.GetBytes((await File.ReadAllTextAsync(keyFile, cancellationToken).ConfigureAwait(false)).Trim()))
            : RandomNumberGenerator.GetBytes(32);
        return new TokenCodec(key);
    }
}
