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
        createOnly ? ContainerOptions.Flags : [.. ContainerOptions.Flags, FlagSpec.Bool("detach", 'd', "Run container in background and print container ID"), FlagSpec.String("detach-keys", null, "Override the key sequence for detaching a container"), FlagSpec.Bool("sig-proxy", null, "Proxy received signals to the process", true)],
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
        var detachKeys = createOnly ? null : f.String("detach-keys");
        var keys = AttachStreamer.ParseKeys(detachKeys);
        string id;
        try
        {
            bool detach = createOnly || f.Bool("detach");
            var body = ContainerOptions.BuildCreateBody(f, invocation.Args[0], invocation.Args.Skip(1).ToList(), Environment.GetEnvironmentVariable, File.ReadAllLines, attachStdio: !detach);
            await SetConsoleSizeAsync(context, body, cancellationToken).ConfigureAwait(false);
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
        using var proxy = SignalProxy.Start(context, id, f.Bool("sig-proxy"), f.Bool("tty"));
        return await RunAttachedAsync(context, verb, id, f.Bool("interactive"), f.Bool("tty"), f.Bool("rm"), (detachKeys, keys), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Like the docker CLI, create with the local terminal's size (HostConfig.ConsoleSize, API
    /// 1.42+) so a tty has the right size before the process starts; zeros without a terminal.
    /// </summary>
    private static async Task SetConsoleSizeAsync(CommandContext context, JsonObject body, CancellationToken cancellationToken)
    {
        if (body["HostConfig"] is not JsonObject host)
        {
            return;
        }
        var version = await context.Client.NegotiateAsync(cancellationToken).ConfigureAwait(false);
        (uint Height, uint Width) size = ApiVersion.Compare(version, "1.42") >= 0 && context.Terminal.OutputSize is { } s ? s : (0u, 0u);
        host["ConsoleSize"] = new JsonArray(size.Height, size.Width);
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

    private static async Task<int> RunAttachedAsync(CommandContext context, string verb, string id, bool stdin, bool tty, bool autoRemove, (string? Text, byte[] Bytes) detachKeys, CancellationToken cancellationToken)
    {
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        var query = AttachQuery(stdin, detachKeys.Text);
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
            using var resizer = tty && context.IsStdoutTerminal ? TtyResizer.Start(context, id) : null;
            if (await AttachStreamer.StreamAsync(context, conn, stdin, tty, detachKeys.Bytes, cancellationToken).ConfigureAwait(false))
            {
                // Detached: the container keeps running; docker run says nothing and succeeds.
                return 0;
            }
            return await ExitCodeAsync(context, waitBody).ConfigureAwait(false);
        }
    }

    /// <summary>The attach query docker run/start/attach send: stream all output, stdin when asked, and the detach keys if given.</summary>
    internal static QueryBuilder AttachQuery(bool stdin, string? detachKeys) =>
        new QueryBuilder().Add("stream", "1").AddIf(stdin, "stdin", "1").Add("stdout", "1").Add("stderr", "1").Add("detachKeys", string.IsNullOrEmpty(detachKeys) ? null : detachKeys);

    /// <summary>The container's exit code from the body of a <c>/wait</c> answer (125 when the wait failed).</summary>
    internal static async Task<int> ExitCodeAsync(CommandContext context, Task<string>? waitBody)
    {
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
}
