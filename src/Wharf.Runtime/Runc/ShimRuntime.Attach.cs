using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Wharf.Core.Containers;
using Wharf.Core.Errors;

namespace Wharf.Runtime.Runc;

public sealed partial class ShimRuntime
{
    /// <summary>sun_path holds 108 bytes including the terminating NUL.</summary>
    private const int MaxSocketPath = 107;

    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(10);

    public async Task<Stream> AttachAsync(string id, AttachStreams streams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var paths = Existing(id);
        return await AttachStateAsync(paths.State, id, streams, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Attaches to the shim that owns <paramref name="state"/> (a container's or an exec's).</summary>
    private static async Task<Stream> AttachStateAsync(string state, string id, AttachStreams streams, CancellationToken cancellationToken)
    {
        var header = new StringBuilder("attach");
        if (streams.Stdin)
        {
            header.Append(" stdin");
        }
        if (streams.Stdout)
        {
            header.Append(" stdout");
        }
        if (streams.Stderr)
        {
            header.Append(" stderr");
        }
        if (streams.Stdin && streams.StdinOnce)
        {
            header.Append(" stdin-once");
        }
        var socket = await ConnectAsync(state, id, cancellationToken).ConfigureAwait(false);
        try
        {
            var reply = await RequestAsync(socket, header.Append('\n').ToString(), cancellationToken).ConfigureAwait(false);
            if (reply != "ok")
            {
                throw ReplyError(id, "attach", reply);
            }
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task ResizeAsync(string id, int rows, int columns, CancellationToken cancellationToken)
    {
        var paths = Existing(id);
        if (rows <= 0 || columns <= 0 || rows > ushort.MaxValue || columns > ushort.MaxValue)
        {
            throw WharfException.Invalid($"invalid terminal size {rows}x{columns}");
        }
        using var socket = await ConnectAsync(paths, cancellationToken).ConfigureAwait(false);
        var line = string.Create(CultureInfo.InvariantCulture, $"resize {rows} {columns}\n");
        var reply = await RequestAsync(socket, line, cancellationToken).ConfigureAwait(false);
        if (reply != "ok")
        {
            throw ReplyError(id, "resize", reply);
        }
    }

    private static WharfException ReplyError(string id, string what, string reply)
    {
        var text = reply.StartsWith("error ", StringComparison.Ordinal) ? reply["error ".Length..] : reply.Length == 0 ? "connection closed" : reply;
        // The shim refuses what the container was not created for (stdin, a tty): the caller's request is wrong.
        return WharfException.Invalid($"cannot {what} to container {id}: {text}");
    }

    private static Task<Socket> ConnectAsync(ContainerPaths paths, CancellationToken cancellationToken)
        => ConnectAsync(paths.State, paths.Id, cancellationToken);

    /// <summary>
    /// Connects to STATE/attach.sock. A path too long for sun_path goes through the shim's cwd
    /// (the shim chdirs into its state dir): <c>/proc/SHIMPID/cwd/attach.sock</c>, checked to
    /// point at this state dir so a recycled pid cannot redirect us.
    /// </summary>
    private static async Task<Socket> ConnectAsync(string state, string id, CancellationToken cancellationToken)
    {
        var path = Path.Combine(state, "attach.sock");
        if (Encoding.UTF8.GetByteCount(path) > MaxSocketPath)
        {
            path = ShortSocketPath(state) ?? throw NotRunning(id);
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.ConnectionRefused)
        {
            socket.Dispose();
            // No socket (the shim removed it at exit) or nobody listening: the container has ended.
            throw NotRunning(id);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static string? ShortSocketPath(string state)
    {
        if (ProcFs.ReadPidFile(Path.Combine(state, "shim.pid")) is not { } shimPid || !IsShim(shimPid))
        {
            return null;
        }
        var cwd = $"/proc/{shimPid}/cwd";
        try
        {
            var target = new DirectoryInfo(cwd).LinkTarget;
            return target is not null && Path.TrimEndingDirectorySeparator(target) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(state))
                ? cwd + "/attach.sock"
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Sends one header line and reads the reply byte by byte, so no output after it is consumed.</summary>
    private static async Task<string> RequestAsync(Socket socket, string line, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(AckTimeout);
        var bytes = Encoding.UTF8.GetBytes(line);
        for (var sent = 0; sent < bytes.Length;)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cts.Token).ConfigureAwait(false);
        }
        var reply = new List<byte>(16);
        var one = new byte[1];
        while (reply.Count < 4096)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(one, SocketFlags.None, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new WharfException(ErrorKind.Internal, "wharf-shim did not answer within " + AckTimeout.TotalSeconds + " s");
            }
            if (n == 0 || one[0] == (byte)'\n')
            {
                break;
            }
            reply.Add(one[0]);
        }
        return Encoding.UTF8.GetString([.. reply]);
    }
}
