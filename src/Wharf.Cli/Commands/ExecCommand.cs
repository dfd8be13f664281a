using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>exec</c> and <c>container exec</c> (cli/command/container/exec.go): exit status is the command's.</summary>
internal sealed class ExecCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] CONTAINER COMMAND [ARG...]",
        "Execute a command in a running container",
        [
            FlagSpec.Bool("detach", 'd', "Detached mode: run command in the background"),
            FlagSpec.String("detach-keys", null, "Override the key sequence for detaching a container"),
            FlagSpec.List("env", 'e', "Set environment variables"),
            FlagSpec.List("env-file", null, "Read in a file of environment variables"),
            FlagSpec.Bool("interactive", 'i', "Keep STDIN open even if not attached"),
            FlagSpec.Bool("privileged", null, "Give extended privileges to the command"),
            FlagSpec.Bool("tty", 't', "Allocate a pseudo-TTY"),
            FlagSpec.String("user", 'u', "Username or UID (format: \"<name|uid>[:<group|gid>]\")"),
            FlagSpec.String("workdir", 'w', "Working directory inside the container"),
        ],
        ArgsRule.AtLeast(2),
        ["container exec", "exec"],
        StopAtFirstArg: true);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        string container = invocation.Args[0];
        bool detach = f.Bool("detach"), tty = f.Bool("tty"), interactive = f.Bool("interactive");
        if (!detach && tty && interactive && !context.IsStdinTerminal)
        {
            throw new CliErrorException("the input device is not a TTY");
        }
        var body = BuildBody(f, invocation.Args.Skip(1).ToList(), Environment.GetEnvironmentVariable, File.ReadAllLines);
        string id;
        try
        {
            var created = await context.Client.PostJsonAsync($"/containers/{Uri.EscapeDataString(container)}/exec", null, body, cancellationToken).ConfigureAwait(false);
            id = ImageRows.Str(created?["Id"]);
            if (detach)
            {
                await context.Client.PostJsonAsync($"/exec/{id}/start", null, new JsonObject { ["Detach"] = true, ["Tty"] = tty }, cancellationToken).ConfigureAwait(false);
                return 0;
            }
        }
        catch (DaemonErrorException e)
        {
            throw new CliErrorException("Error response from daemon: " + e.Message);
        }

        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        bool raw = tty && interactive && context.IsStdinTerminal && context.IsStdoutTerminal;
        var start = new JsonObject { ["Detach"] = false, ["Tty"] = tty };
        if (tty && context.IsStdoutTerminal && TerminalSize() is var (h, w) && h > 0)
        {
            start["ConsoleSize"] = new JsonArray(h, w);
        }
        HijackedStream conn;
        try
        {
            conn = await context.Client.HijackAsync($"/exec/{id}/start", null, start.ToJsonString(), cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException e)
        {
            throw new CliErrorException("Error response from daemon: " + e.Message);
        }
        await using (conn.ConfigureAwait(false))
        {
            if (raw)
            {
                Stty("raw -echo");
            }
            try
            {
                if (tty && context.IsStdoutTerminal)
                {
                    await ResizeAsync(context, id, cancellationToken).ConfigureAwait(false);
                }
                await PumpAsync(context, conn, interactive, tty, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (raw)
                {
                    Stty("sane");
                }
            }
        }

        try
        {
            var inspect = await context.Client.GetJsonAsync($"/exec/{id}/json", null, cancellationToken).ConfigureAwait(false);
            return (int)ImageRows.Long(inspect?["ExitCode"]);
        }
        catch (DaemonErrorException e)
        {
            throw new CliErrorException("Error response from daemon: " + e.Message);
        }
    }

    /// <summary>The exec create body as docker sends it: stdout and stderr attached unless detached.</summary>
    internal static JsonObject BuildBody(ParsedFlags f, IReadOnlyList<string> cmd, Func<string, string?> getEnv, Func<string, string[]> readLines)
    {
        bool detach = f.Bool("detach");
        var body = new JsonObject
        {
            ["User"] = f.String("user") ?? "",
            ["Privileged"] = f.Bool("privileged"),
            ["Tty"] = f.Bool("tty"),
            ["AttachStdin"] = f.Bool("interactive") && !detach,
            ["AttachStderr"] = !detach,
            ["AttachStdout"] = !detach,
            ["Detach"] = detach,
            ["DetachKeys"] = f.String("detach-keys") ?? "",
            ["Env"] = ContainerOptions.Env(f, getEnv, readLines),
            ["WorkingDir"] = f.String("workdir") ?? "",
            ["Cmd"] = new JsonArray(cmd.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
        };
        return body;
    }

    private static async Task PumpAsync(CommandContext context, HijackedStream conn, bool stdin, bool tty, CancellationToken cancellationToken)
    {
        var stdout = context.OpenStandardOutput();
        var stderr = Console.OpenStandardError();
        var output = tty ? StdStreams.CopyRawAsync(conn, stdout, cancellationToken) : StdStreams.DemuxAsync(conn, stdout, stderr, cancellationToken);
        if (stdin)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    var input = context.OpenStandardInput();
                    var buffer = new byte[16 * 1024];
                    int n;
                    while ((n = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        await conn.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                    }
                    conn.CloseWrite();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
                {
                }
            }, cancellationToken);
        }
        try
        {
            await output.ConfigureAwait(false);
        }
        catch (IOException)
        {
        }
    }

    private static (int Height, int Width)? TerminalSize()
    {
        try
        {
            return (Console.WindowHeight, Console.WindowWidth);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static async Task ResizeAsync(CommandContext context, string id, CancellationToken cancellationToken)
    {
        if (TerminalSize() is not var (h, w) || h <= 0 || w <= 0)
        {
            return;
        }
        try
        {
            var q = new QueryBuilder().Add("h", h.ToString(CultureInfo.InvariantCulture)).Add("w", w.ToString(CultureInfo.InvariantCulture));
            await context.Client.PostJsonAsync($"/exec/{id}/resize", q, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DaemonErrorException or IOException)
        {
        }
    }

    private static void Stty(string args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("sh", ["-c", "stty " + args + " < /dev/tty"]) { UseShellExecute = false });
            p?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}
