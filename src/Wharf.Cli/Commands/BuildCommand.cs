using System.Text.Json;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>
/// <c>build</c>, <c>image build</c>: sends the context (a folder, a tarball or a Dockerfile on
/// stdin) to POST /build and prints the build's output as it comes.
/// </summary>
internal sealed class BuildCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] PATH | -",
        "Build an image from a Dockerfile",
        [
            FlagSpec.List("tag", 't', "Name and optionally a tag in the \"name:tag\" format"),
            FlagSpec.String("file", 'f', "Name of the Dockerfile (Default is \"PATH/Dockerfile\")"),
            FlagSpec.List("build-arg", null, "Set build-time variables"),
            FlagSpec.String("target", null, "Set the target build stage to build"),
            FlagSpec.Bool("no-cache", null, "Do not use cache when building the image"),
            FlagSpec.List("label", null, "Set metadata for an image"),
            FlagSpec.String("progress", null, "Set type of progress output (\"auto\", \"plain\", \"tty\")", defaultValue: "auto"),
            FlagSpec.Bool("quiet", 'q', "Suppress the build output and print image ID on success"),
            FlagSpec.String("iidfile", null, "Write the image ID to the file"),
            FlagSpec.String("network", null, "Set the networking mode for the RUN instructions during build", defaultValue: "default"),
            FlagSpec.List("cache-from", null, "Images to consider as cache sources"),
            FlagSpec.Bool("pull", null, "Always attempt to pull a newer version of the image"),
            FlagSpec.Bool("rm", null, "Remove intermediate containers after a successful build", defaultValue: true),
            FlagSpec.Bool("force-rm", null, "Always remove intermediate containers"),
            FlagSpec.String("platform", null, "Set platform if server is multi-platform capable"),
        ],
        new ArgsRule(1, 1),
        ["image build", "build"]);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var source = invocation.Args[0];
        var progress = invocation.Flags.String("progress") ?? "auto";
        if (progress is not ("auto" or "plain" or "tty"))
        {
            throw new CliErrorException($"invalid progress mode \"{progress}\": use auto, plain or tty");
        }

        var dockerfile = invocation.Flags.String("file") is { Length: > 0 } f ? f : null;
        var query = new QueryBuilder();
        foreach (var t in invocation.Flags.List("tag"))
        {
            ImageReference.Parse(t);
            query.Add("t", t);
        }

        var args = new JsonObject();
        foreach (var a in invocation.Flags.List("build-arg"))
        {
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            // "NAME" alone takes the value from this environment, as docker does.
            args[eq < 0 ? a : a[..eq]] = eq < 0 ? Environment.GetEnvironmentVariable(a) : a[(eq + 1)..];
        }

        var labels = new JsonObject();
        foreach (var l in invocation.Flags.List("label"))
        {
            var eq = l.IndexOf('=', StringComparison.Ordinal);
            labels[eq < 0 ? l : l[..eq]] = eq < 0 ? "" : l[(eq + 1)..];
        }

        var quiet = invocation.Flags.Bool("quiet");
        query.Add("buildargs", args.ToJsonString())
            .Add("labels", labels.ToJsonString())
            .Add("target", invocation.Flags.String("target") is { Length: > 0 } target ? target : null)
            .Add("nocache", invocation.Flags.Bool("no-cache") ? "1" : null)
            .Add("q", quiet ? "1" : null)
            .Add("rm", invocation.Flags.Bool("rm") ? "1" : "0")
            .Add("forcerm", invocation.Flags.Bool("force-rm") ? "1" : null)
            .Add("networkmode", invocation.Flags.String("network"))
            .Add("pull", invocation.Flags.Bool("pull") ? "1" : null)
            .Add("platform", invocation.Flags.String("platform") is { Length: > 0 } p ? p : null);
        if (invocation.Flags.List("cache-from") is { Count: > 0 } cacheFrom)
        {
            query.Add("cachefrom", new JsonArray([.. cacheFrom.Select(c => (JsonNode)c)]).ToJsonString());
        }

        var (write, dockerfileName) = await PrepareContextAsync(context, source, dockerfile, cancellationToken).ConfigureAwait(false);
        query.Add("dockerfile", dockerfileName);

        var (pipe, producer) = Wharf.Oci.IO.WriterPipe.Start(write, cancellationToken);

        string? imageId = null;
        var display = !quiet && (progress == "tty" || (progress == "auto" && context.IsStdoutTerminal))
            ? new BuildProgressDisplay(context.Out, context.Time, (int)(context.Terminal.OutputSize?.Width ?? 80))
            : null;
        using var ticker = new CancellationTokenSource();
        var ticking = display is null ? Task.CompletedTask : TickAsync(display, context.Time, ticker.Token);
        try
        {
            imageId = await StreamBuildAsync(context, query, pipe, display, quiet, cancellationToken).ConfigureAwait(false);
            display?.Finish(succeeded: true);
        }
        catch (CliErrorException)
        {
            display?.Finish(succeeded: false);
            throw;
        }
        finally
        {
            await ticker.CancelAsync().ConfigureAwait(false);
            await ticking.ConfigureAwait(false);
        }

        await producer.ConfigureAwait(false);
        if (invocation.Flags.String("iidfile") is { Length: > 0 } iidfile && imageId is not null)
        {
            await File.WriteAllTextAsync(iidfile, imageId, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Redraws the live display ten times a second, so the clocks run between messages.</summary>
    private static async Task TickAsync(BuildProgressDisplay display, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100), time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                display.Render();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Sends the context and reads the build's messages; the image ID when it says one.</summary>
    private static async Task<string?> StreamBuildAsync(CommandContext context, QueryBuilder query, System.IO.Pipelines.Pipe pipe, BuildProgressDisplay? display, bool quiet, CancellationToken cancellationToken)
    {
        string? imageId = null;
        var body = pipe.Reader.AsStream();
        await using (body.ConfigureAwait(false))
        {
            using var content = WharfClient.StreamContent(body, "application/x-tar");
            var (response, stream) = await context.Client.OpenStreamAsync(HttpMethod.Post, "/build", query, content, cancellationToken).ConfigureAwait(false);
            using (response)
            await using (stream.ConfigureAwait(false))
            {
                await foreach (var m in JsonMessageReader.ReadMessagesAsync(stream, cancellationToken).ConfigureAwait(false))
                {
                    if (m.Error is { } error)
                    {
                        if (display is null)
                        {
                            await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                        }

                        throw new CliErrorException(error);
                    }

                    if (m.Aux?["ID"] is JsonValue id && id.TryGetValue<string>(out var idText))
                    {
                        imageId = idText;
                    }
                    else if (m.Stream is { } text)
                    {
                        if (quiet && text.StartsWith("sha256:", StringComparison.Ordinal))
                        {
                            imageId = text.Trim();
                        }

                        if (display is not null)
                        {
                            display.Feed(text);
                            display.Render();
                        }
                        else
                        {
                            await context.Out.WriteAsync(text).ConfigureAwait(false);
                        }
                    }
                }
            }
        }

        return imageId;
    }

    /// <summary>
    /// What to send: a folder as a tar, stdin as it is (a tarball) or, when stdin holds a
    /// Dockerfile, a tar with just that Dockerfile; <c>-f -</c> reads the Dockerfile from stdin.
    /// </summary>
    private static async Task<(Func<Stream, CancellationToken, Task> Write, string Dockerfile)> PrepareContextAsync(CommandContext context, string source, string? dockerfile, CancellationToken cancellationToken)
    {
        if (source == "-")
        {
            if (dockerfile == "-")
            {
                throw new CliErrorException("invalid argument: can't use stdin for both build context and dockerfile");
            }

            var input = context.OpenStandardInput();
            var head = new byte[512];
            var n = await input.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var isArchive = (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) || (n >= 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8));
            if (isArchive)
            {
                return (async (output, ct) =>
                {
                    await output.WriteAsync(head.AsMemory(0, n), ct).ConfigureAwait(false);
                    await input.CopyToAsync(output, ct).ConfigureAwait(false);
                }, dockerfile ?? "Dockerfile");
            }

            var text = new MemoryStream();
            text.Write(head, 0, n);
            await input.CopyToAsync(text, cancellationToken).ConfigureAwait(false);
            return ((output, ct) => SingleFileTarAsync(output, "Dockerfile", text.ToArray(), ct), "Dockerfile");
        }

        if (!Directory.Exists(source))
        {
            throw new CliErrorException($"unable to prepare context: path \"{source}\" not found");
        }

        if (dockerfile == "-")
        {
            var text = new MemoryStream();
            await context.OpenStandardInput().CopyToAsync(text, cancellationToken).ConfigureAwait(false);
            var name = "__dockerfile-" + Guid.NewGuid().ToString("N")[..12];
            return (async (output, ct) =>
            {
                // The folder's entries, then the Dockerfile under a name nothing else uses.
                var inner = new MemoryStream();
                await BuildContextTar.WriteAsync(source, name, inner, ct).ConfigureAwait(false);
                inner.SetLength(Math.Max(0, inner.Length - 1024));
                inner.Position = 0;
                await inner.CopyToAsync(output, ct).ConfigureAwait(false);
                await SingleFileTarAsync(output, name, text.ToArray(), ct).ConfigureAwait(false);
            }, name);
        }

        var relative = dockerfile is null ? "Dockerfile" : Path.GetRelativePath(source, Path.GetFullPath(dockerfile, Directory.GetCurrentDirectory()));
        if (dockerfile is not null && !File.Exists(Path.GetFullPath(dockerfile)))
        {
            throw new CliErrorException($"unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat {Path.GetFullPath(dockerfile)}: no such file or directory");
        }

        if (relative.StartsWith("..", StringComparison.Ordinal))
        {
            // A Dockerfile outside the context goes along under a private name.
            var bytes = await File.ReadAllBytesAsync(dockerfile!, cancellationToken).ConfigureAwait(false);
            var name = "__dockerfile-" + Guid.NewGuid().ToString("N")[..12];
            return (async (output, ct) =>
            {
                var inner = new MemoryStream();
                await BuildContextTar.WriteAsync(source, name, inner, ct).ConfigureAwait(false);
                inner.SetLength(Math.Max(0, inner.Length - 1024));
                inner.Position = 0;
                await inner.CopyToAsync(output, ct).ConfigureAwait(false);
                await SingleFileTarAsync(output, name, bytes, ct).ConfigureAwait(false);
            }, name);
        }

        return ((output, ct) => BuildContextTar.WriteAsync(source, relative, output, ct), relative.Replace('\\', '/'));
    }

    private static async Task SingleFileTarAsync(Stream output, string name, byte[] content, CancellationToken cancellationToken)
    {
        var writer = new System.Formats.Tar.TarWriter(output, System.Formats.Tar.TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name)
            {
                Mode = (UnixFileMode)0b110_100_100,
                DataStream = new MemoryStream(content),
            };
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }
}
