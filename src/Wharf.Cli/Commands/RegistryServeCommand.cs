using System.Runtime.InteropServices;
using Wharf.Cli.Cli;
using Wharf.Registry;

namespace Wharf.Cli.Commands;

/// <summary>
/// <c>registry serve</c>: runs an OCI Distribution registry in the foreground until SIGINT or
/// SIGTERM. Prints one line "listening on URL" once the socket is bound (scripts wait for it,
/// or poll GET /v2/). Flags override the config file's settings.
/// </summary>
internal sealed class RegistryServeCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "Run an OCI distribution registry",
        [
            FlagSpec.String("addr", null, "Address to listen on (host:port)", "string", "127.0.0.1:5000"),
            FlagSpec.String("root", null, "Storage root directory"),
            FlagSpec.String("config", null, "Config file (JSON or YAML) with the same settings"),
            FlagSpec.String("auth", null, "Authentication: none, basic or token"),
            FlagSpec.String("htpasswd", null, "htpasswd file with bcrypt entries"),
            FlagSpec.String("tls-cert", null, "TLS certificate (PEM)"),
            FlagSpec.String("tls-key", null, "TLS private key (PEM)"),
            FlagSpec.String("realm", null, "Token realm URL sent in bearer challenges"),
            FlagSpec.String("service", null, "Service name in bearer challenges"),
            FlagSpec.String("token-issuer", null, "Issuer named in tokens"),
            FlagSpec.String("token-key", null, "File holding the secret tokens are signed with"),
            FlagSpec.String("token-signing-key", null, "PEM RSA private key: sign tokens RS256 with a kid instead"),
            FlagSpec.String("token-jwks", null, "JWK set file of further keys whose RS256 tokens are accepted"),
            .. RegistryStorageFlags.Specs,
        ],
        ArgsRule.None);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        var config = await RegistryStorageFlags.LoadConfigAsync(f, cancellationToken).ConfigureAwait(false);
        if (f.Changed("addr") || config.Addr is null)
        {
            config.Addr = f.String("addr");
        }
        config.Auth = f.String("auth") ?? config.Auth;
        config.Htpasswd = f.String("htpasswd") ?? config.Htpasswd;
        config.TlsCert = f.String("tls-cert") ?? config.TlsCert;
        config.TlsKey = f.String("tls-key") ?? config.TlsKey;
        config.Realm = f.String("realm") ?? config.Realm;
        config.Service = f.String("service") ?? config.Service;
        config.TokenIssuer = f.String("token-issuer") ?? config.TokenIssuer;
        config.TokenKey = f.String("token-key") ?? config.TokenKey;
        config.TokenSigningKey = f.String("token-signing-key") ?? config.TokenSigningKey;
        config.TokenJwks = f.String("token-jwks") ?? config.TokenJwks;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, e =>
        {
            e.Cancel = true;
            stop.Cancel();
        });
        RegistryServer server;
        try
        {
            server = await RegistryServer.StartAsync(config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliErrorException(e.Message);
        }
        await using (server.ConfigureAwait(false))
        {
            await context.Out.WriteAsync($"listening on {server.Addresses[0].ToString().TrimEnd('/')}\n").ConfigureAwait(false);
            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            await server.WaitAsync(stop.Token).ConfigureAwait(false);
        }
        return 0;
    }
}
