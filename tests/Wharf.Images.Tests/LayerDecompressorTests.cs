using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using Wharf.Core.Errors;
using Wharf.Core.Images;
using Wharf.Linux;

namespace Wharf.Images.Tests;

/// <summary>
/// Layer decompression by magic bytes, with zstd through the host's libzstd; the zstd data is
/// made by the real <c>zstd</c> tool, so the decoder is checked against an independent encoder.
/// </summary>
public sealed class LayerDecompressorTests
{
    private static readonly LayerDecompressor WithZstd = new(s => new ZstdDecompressStream(s));

    /// <summary>Half random, half repetitive: several MiB so that many input and output buffers are crossed.</summary>
    private static byte[] Sample(int size)
    {
        var data = new byte[size];
        RandomNumberGenerator.Fill(data.AsSpan(0, size / 2));
        for (var i = size / 2; i < size; i++)
        {
            data[i] = (byte)(i % 251);
        }

        return data;
    }

    private static async Task<byte[]> ZstdToolAsync(byte[] input, params string[] args)
    {
        var psi = new ProcessStartInfo("zstd") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.ArgumentList.Add("-c");
        using var p = Process.Start(psi)!;
        var output = new MemoryStream();
        var read = p.StandardOutput.BaseStream.CopyToAsync(output);
        await p.StandardInput.BaseStream.WriteAsync(input);
        p.StandardInput.Close();
        await read;
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
        return output.ToArray();
    }

    private static async Task<byte[]> ReadAllAsync(Stream s, int chunk)
    {
        var output = new MemoryStream();
        var buffer = new byte[chunk];
        int n;
        while ((n = await s.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }

    [Fact]
    public void TheHostHasLibzstd() => Assert.True(Zstd.IsAvailable, "libzstd.so.1 (Debian libzstd1) is installed by scripts/install-deps.sh");

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task ZstdFromTheToolComesBackByteForByte(int chunk)
    {
        var data = Sample(3 * 1024 * 1024 + 17);
        var compressed = await ZstdToolAsync(data, "-3");
        await using var s = await WithZstd.OpenAsync(new MemoryStream(compressed), CancellationToken.None);
        Assert.IsType<ZstdDecompressStream>(s);
        var got = chunk == 1 ? await ReadAllAsync(s, 7) : await ReadAllAsync(s, chunk);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(got));
    }

    [Fact]
    public async Task ConcatenatedFramesReadAsOneStreamAlsoSynchronously()
    {
        var a = Sample(200_000);
        var b = Sample(300_000);
        byte[] both = [.. await ZstdToolAsync(a), .. await ZstdToolAsync(b, "-19")];
        await using var s = await WithZstd.OpenAsync(new MemoryStream(both), CancellationToken.None);
        var got = new MemoryStream();
        s.CopyTo(got);
        Assert.Equal([.. a, .. b], got.ToArray());
        Assert.Equal(0, s.Read(new byte[10]));
    }

    [Fact]
    public async Task TruncatedOrCorruptZstdFailsOnRead()
    {
        var compressed = await ZstdToolAsync(Sample(500_000));
        await using (var truncated = await WithZstd.OpenAsync(new MemoryStream(compressed[..(compressed.Length / 2)]), CancellationToken.None))
        {
            var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(truncated, 65536));
            Assert.Contains("unexpected end", e.Message);
        }

        var corrupt = (byte[])compressed.Clone();
        for (var i = 40; i < 400; i++)
        {
            corrupt[i] ^= 0x5a;
        }

        await using var bad = await WithZstd.OpenAsync(new MemoryStream(corrupt), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(bad, 65536));
    }

    [Fact]
    public async Task GzipAndPlainTarAreRecognisedToo()
    {
        var data = Sample(100_000);
        var gz = new MemoryStream();
        await using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            await z.WriteAsync(data);
        }

        await using (var s = await WithZstd.OpenAsync(new MemoryStream(gz.ToArray()), CancellationToken.None))
        {
            Assert.IsType<GZipStream>(s);
            Assert.Equal(data, await ReadAllAsync(s, 8192));
        }

        await using var plain = await WithZstd.OpenAsync(new MemoryStream(data), CancellationToken.None);
        Assert.Equal(data, await ReadAllAsync(plain, 8192));
        await using var empty = await WithZstd.OpenAsync(new MemoryStream(), CancellationToken.None);
        Assert.Empty(await ReadAllAsync(empty, 8192));
    }

    [Fact]
    public async Task WithoutLibzstdZstdIsRefusedAsInvalid()
    {
        var compressed = await ZstdToolAsync(Sample(1000));
        var e = await Assert.ThrowsAsync<WharfException>(() => new LayerDecompressor(null).OpenAsync(new MemoryStream(compressed), CancellationToken.None));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("libzstd", e.Message);
    }

    [Fact]
    public async Task ImportTakesAZstdCompressedTar()
    {
        await using var h = await Harness.StartAsync();
        var tar = Harness.Rootfs("zstd-import");
        var compressed = await ZstdToolAsync(tar);
        var id = await h.Service.ImportAsync(new MemoryStream(compressed), new ImportRequest { Repository = "zstd/import", Tag = "v1" }, _ => ValueTask.CompletedTask, CancellationToken.None);

        // The diff ID is the digest of the uncompressed tar.
        Assert.Equal(["sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar))], h.Service.Inspect(id.Value).Image.DiffIds.Select(d => d.Value));
    }

    [Fact]
    public async Task ACorruptZstdImportIsInvalidInputAndStoresNothing()
    {
        await using var h = await Harness.StartAsync();
        var compressed = await ZstdToolAsync(Harness.Rootfs("zstd-broken"));
        var e = await Assert.ThrowsAsync<WharfException>(() => h.Service.ImportAsync(new MemoryStream(compressed[..^6]), new ImportRequest(), _ => ValueTask.CompletedTask, CancellationToken.None));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith("failed to register layer: zstd:", e.Message);
        Assert.Equal(0, h.Service.Count);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(h.Dir, "content", "blobs", "sha256")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(h.Dir, "content", "ingest")));
    }
}
