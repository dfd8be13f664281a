using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary><c>login</c>: checks the credentials through POST /auth and stores them as the docker CLI does.</summary>
internal sealed class LoginCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] [SERVER]",
        "Log in to a registry",
        [
            FlagSpec.String("username", 'u', "Username"),
            FlagSpec.String("password", 'p', "Password"),
            FlagSpec.Bool("password-stdin", null, "Take the password from stdin"),
        ],
        ArgsRule.AtMost(1),
        ["login"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var server = invocation.Args.Count == 1 ? invocation.Args[0] : DockerConfigFile.IndexServer;
        var key = DockerConfigFile.KeyFor(StripScheme(server));
        var user = invocation.Flags.String("username");
        var password = invocation.Flags.String("password");
        if (invocation.Flags.Bool("password-stdin"))
        {
            if (!string.IsNullOrEmpty(password))
            {
                throw new CliErrorException("--password and --password-stdin are mutually exclusive");
            }

            if (string.IsNullOrEmpty(user))
            {
                throw new CliErrorException("Must provide --username with --password-stdin");
            }

            using var reader = new StreamReader(context.OpenStandardInput());
            password = (await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\n', '\r');
        }
        else if (!string.IsNullOrEmpty(password))
        {
            await context.Err.WriteLineAsync("WARNING! Using --password via the CLI is insecure. Use --password-stdin.").ConfigureAwait(false);
        }

        if (string.IsNullOrEmpty(user))
        {
            await context.Out.WriteAsync("Username: ").ConfigureAwait(false);
            user = context.ReadLine()?.Trim();
        }

        if (string.IsNullOrEmpty(password))
        {
            await context.Out.WriteAsync("Password: ").ConfigureAwait(false);
            password = context.ReadLine();
        }

        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
        {
            throw new CliErrorException("Error: Non-null Username Required");
        }

        var body = new JsonObject { ["username"] = user, ["password"] = password, ["serveraddress"] = key };
        var answer = await context.Client.PostJsonAsync("/auth", null, body, cancellationToken).ConfigureAwait(false);
        var identity = answer?["IdentityToken"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : "";

        var config = DockerConfigFile.Load();
        if (config["auths"] is not JsonObject auths)
        {
            auths = [];
            config["auths"] = auths;
        }

        var entry = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)) };
        if (identity.Length > 0)
        {
            entry = new JsonObject { ["identitytoken"] = identity };
        }

        auths[key] = entry;
        DockerConfigFile.Save(config);
        await context.Out.WriteLineAsync("Login Succeeded").ConfigureAwait(false);
        return 0;
    }

    internal static string StripScheme(string server)
    {
        if (server == DockerConfigFile.IndexServer)
        {
            return server;
        }

        var i = server.IndexOf("://", StringComparison.Ordinal);
        var s = i >= 0 ? server[(i + 3)..] : server;
        return s.TrimEnd('/');
    }
}
