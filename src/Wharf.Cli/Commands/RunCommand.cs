using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>run</c>, <c>container run</c>, and (with <paramref name="createOnly"/>) <c>create</c>.</summary>
internal sealed class RunCommand(bool createOnly) : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] IMAGE [COMMAND] [ARG...]",
        createOnly ? "Create a new container" : "Create and run a new container from an image",
        createOnly ? ContainerOptions.Flags : [.. ContainerOptions.Flags, FlagSpec.Bool("detach", 'd', "Run container in background and print container ID")],
        ArgsRule.AtLeast(1),
        createOnly ? ["container create", "create"] : ["container run", "run"],
        StopAtFirstArg: true);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        string verb = createOnly ? "create" : "run";
        if (!createOnly && !f.Bool("detach") && f.Bool("tty") && f.Bool("interactive") && !context.IsStdinTerminal)
        {
            throw new CliErrorException("the input device is not a TTY");
        }
        string id;
        try
        {
            bool detach = createOnly || f.Bool("detach");
            var body = ContainerOptions.BuildCreateBody(f, invocation.Args[0], invocation.Args.Skip(1).ToList(), Environment.GetEnvironmentVariable, File.ReadAllLines, attachStdio: !detach);
            var createQuery = new QueryBuilder().Add("name", f.String("name") is { Length: > 0 } n ? n : null);
            JsonNode? created;
            try
            {
                created = await context.Client.PostJsonAsync("/containers/create", createQuery, body, cancellationToken).ConfigureAwait(false);
            }
            catch (DaemonErrorException e) when (WharfClient.IsNotFound(e) && e.Message.StartsWith("No such image", StringComparison.Ordinal))
            {
                // docker pulls a missing image, then creates again (cli/command/container/create.go).
                await PullAsync(context, invocation.Args[0], cancellationToken).ConfigureAwait(false);
                created = await context.Client.PostJsonAsync("/containers/create", createQuery, body, cancellationToken).ConfigureAwait(false);
            }
            id = ImageRows.Str(created?["Id"]);
            foreach (var w in created?["Warnings"] as JsonArray ?? [])
            {
                await context.Err.WriteLineAsync("WARNING: " + ImageRows.Str(w)).ConfigureAwait(false);
            }
        }
        catch (DaemonErrorException e) when (createOnly)
        {
            // docker create returns the error as-is: printed plainly, exit status 1.
            throw new CliErrorException("Error response from daemon: " + e.Message);
        }
        catch (CliErrorException e) when (createOnly)
        {
            throw new CliErrorException(e.Message);
        }
        catch (DaemonErrorException e)
        {
            throw RunError(context, verb, "Error response from daemon: " + e.Message);
        }
        catch (CliErrorException e) when (e.ExitCode == 125)
        {
            throw RunError(context, verb, e.Message);
        }
        if (createOnly || f.Bool("detach"))
        {
            if (!createOnly)
            {
                await StartAsync(context, verb, id, cancellationToken).ConfigureAwait(false);
            }
            await context.Out.WriteLineAsync(id).ConfigureAwait(false);
            return 0;
        }
        return await RunAttachedAsync(context, verb, id, f.Bool("interactive"), f.Bool("tty"), f.Bool("rm"), cancellationToken).ConfigureAwait(false);
    }

    private static async Task PullAsync(CommandContext context, string image, CancellationToken cancellationToken)
    {
        var r = ImageReference.Parse(image);
        string tag = r.Digest is null ? r.Tag ?? "latest" : r.Digest;
        string familiar = ImageReference.Familiar(r.Name) + (r.Digest is null ? ":" + tag : "@" + tag);
        await context.Err.WriteLineAsync($"Unable to find image '{familiar}' locally").ConfigureAwait(false);
        var (response, stream) = await context.Client.OpenStreamAsync(HttpMethod.Post, "/images/create", new QueryBuilder().Add("fromImage", r.Name).Add("tag", tag), null, cancellationToken).ConfigureAwait(false);
        using (response)
        using (var reader = new StreamReader(stream))
        {
            string? line;
            while ((line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)) is not null)
            {
                JsonNode? message;
                try
                {
                    message = JsonNode.Parse(line);
                }
                catch (System.Text.Json.JsonException)
                {
                    continue;
                }
                if (message?["error"] is JsonValue err && err.TryGetValue<string>(out var text))
                {
                    throw new DaemonErrorException(System.Net.HttpStatusCode.InternalServerError, text);
                }
            }
        }
    }

    internal static CliErrorException RunError(CommandContext context, string verb, string message)
    {
        int code = message.Contains("executable file not found", StringComparison.Ordinal) || message.Contains("no such file or directory", StringComparison.Ordinal) ? 127
            : message.Contains("permission denied", StringComparison.Ordinal) ? 126
            : 125;
        return new CliErrorException($"{context.ProgramName}: {message}\n\nRun '{context.ProgramName} {verb} --help' for more information", code);
    }

    private static async Task StartAsync(CommandContext context, string verb, string id, CancellationToken cancellationToken)
    {
        try
        {
            await context.Client.PostJsonAsync($"/containers/{id}/start", null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException e)
        {
            throw RunError(context, verb, "Error response from daemon: " + e.Message);
        }
    }

    private static async Task<int> RunAttachedAsync(CommandContext context, string verb, string id, bool stdin, bool tty, bool autoRemove, CancellationToken cancellationToken)
    {
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        var query = new QueryBuilder().Add("stream", "1").AddIf(stdin, "stdin", "1").Add("stdout", "1").Add("stderr", "1");
        HijackedStream conn;
        HttpResponseMessage waitResponse;
        try
        {
            conn = await context.Client.HijackAsync($"/containers/{id}/attach", query, cancellationToken).ConfigureAwait(false);
            waitResponse = await context.Client.SendAsync(HttpMethod.Post, $"/containers/{id}/wait", new QueryBuilder().Add("condition", autoRemove ? "removed" : "next-exit"), null, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException e)
        {
            throw RunError(context, verb, "Error response from daemon: " + e.Message);
        }
        using (waitResponse)
        await using (conn.ConfigureAwait(false))
        {
            var waitBody = waitResponse.Content.ReadAsStringAsync(cancellationToken);
            await StartAsync(context, verb, id, cancellationToken).ConfigureAwait(false);
            int code = await StreamAsync(context, id, conn, stdin, tty, waitBody, cancellationToken).ConfigureAwait(false);
            return code;
        }
    }

    /// <summary>Pumps an attached connection until output ends, then returns the exit code from <paramref name="waitBody"/>.</summary>
    internal static async Task<int> StreamAsync(CommandContext context, string id, HijackedStream conn, bool stdin, bool tty, Task<string>? waitBody, CancellationToken cancellationToken)
    {
        var stdout = context.OpenStandardOutput();
        var stderr = Console.OpenStandardError();
        bool raw = tty && stdin && context.IsStdinTerminal && context.IsStdoutTerminal;
        if (raw)
        {
            Stty("raw -echo");
            await ResizeAsync(context, id, cancellationToken).ConfigureAwait(false);
        }
        try
        {
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
        finally
        {
            if (raw)
            {
                Stty("sane");
            }
        }
        if (waitBody is null)
        {
            return 0;
        }
        string body;
        try
        {
            body = await waitBody.ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return 125;
        }
        JsonNode? result;
        try
        {
            result = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            result = null;
        }
        if (result?["Error"]?["Message"] is JsonValue err && err.TryGetValue<string>(out var msg) && msg.Length > 0)
        {
            await context.Err.WriteLineAsync("Error response from daemon: " + msg).ConfigureAwait(false);
            return 125;
        }
        return (int)ImageRows.Long(result?["StatusCode"]);
    }

    private static async Task ResizeAsync(CommandContext context, string id, CancellationToken cancellationToken)
    {
        try
        {
            int h = Console.WindowHeight, w = Console.WindowWidth;
            await context.Client.PostJsonAsync($"/containers/{id}/resize", new QueryBuilder().Add("h", h.ToString(CultureInfo.InvariantCulture)).Add("w", w.ToString(CultureInfo.InvariantCulture)), null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DaemonErrorException or IOException or InvalidOperationException)
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
