using Microsoft.AspNetCore.Http;
using Microsoft.Win32.SafeHandles;

namespace Wharf.Registry.Http;

/// <summary>
/// Sends a range of a file as the response body by reading it straight into Kestrel's output
/// pipe, a large chunk per read. Kestrel's own <c>SendFileAsync</c> reads 16 KiB at a time into
/// a buffer of its own and copies that into the pipe's 4 KiB blocks: one copy more, and about
/// 85 system calls per MB (16 KiB preads, 48 KiB sends) against about 2 here. Kestrel cannot
/// hand a file to the socket (sendfile(2)): it counts the body bytes that pass through its pipe
/// against Content-Length, so the bytes have to go through it (see bench/README.md).
/// </summary>
internal static class FileBody
{
    /// <summary>
    /// Bytes read per pread(2) and flushed to the connection at once. Measured with
    /// bench/lib/blobload.c (64 MB blob, 16 connections, the 2-core machine): 128 KiB gave about
    /// 2.3 GB/s, 256 KiB 3.0, 512 KiB and 1 MiB 4.2 to 5.1 (2 MiB no better). Each connection sending a body holds one
    /// such buffer (rented from the shared array pool by Kestrel's pipe) while it is in flight.
    /// </summary>
    internal const int ChunkSize = 1024 * 1024;

    public static async Task SendAsync(HttpResponse response, string path, long offset, long length, CancellationToken ct)
    {
        using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        var writer = response.BodyWriter;
        while (length > 0)
        {
            var want = (int)Math.Min(ChunkSize, length);
            var memory = writer.GetMemory(want)[..want];
            var n = await RandomAccess.ReadAsync(file, memory, offset, ct).ConfigureAwait(false);
            if (n == 0)
            {
                // The file is shorter than its recorded size; Kestrel ends the connection, since
                // fewer bytes than Content-Length were sent.
                throw new IOException($"blob file {path} ended {length} bytes early");
            }
            writer.Advance(n);
            offset += n;
            length -= n;
            var flushed = await writer.FlushAsync(ct).ConfigureAwait(false);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                return; // the client went away
            }
        }
    }
}
