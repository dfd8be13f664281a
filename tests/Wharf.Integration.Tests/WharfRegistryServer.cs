using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Wharf.Integration.Tests;

/// <summary>
/// A real <c>wharf registry serve</c> (from out/) on an ephemeral loopback port with its own
/// storage root, plain HTTP; and the few distribution calls a test needs to put content in it
/// by hand. Disposal stops it and removes its files.
/// </summary>
internal sealed class WharfRegistryServer : IAsyncDisposable
{
    private readonly Process _process;

    private WharfRegistryServer(string dir, int port, Process process)
    {
        Dir = dir;
        Port = port;
        _process = process;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public string Dir { get; }

    public int Port { get; }

    /// <summary>host:port as references name it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public HttpClient Http { get; }

    public static Task<WharfRegistryServer> StartAsync(params string[] extraArgs) => StartAsync(null, extraArgs);

    /// <summary>
    /// With <c>--storage s3</c> among the arguments no <c>--root</c> is passed; <paramref name="environment"/>
    /// adds variables (the S3 credentials).
    /// </summary>
    public static async Task<WharfRegistryServer> StartAsync(IReadOnlyDictionary<string, string>? environment, params string[] extraArgs)
    {
        var dir = Directory.CreateTempSubdirectory("wharf-it-wreg-").FullName;
        var port = LocalRegistry.FreePort();
        var psi = new ProcessStartInfo(Repo.Wharf) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] root = extraArgs.Contains("--storage") ? [] : ["--root", Path.Combine(dir, "root")];
        foreach (var a in (string[])["registry", "serve", "--addr", $"127.0.0.1:{port}", .. root, .. extraArgs])
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var reg = new WharfRegistryServer(dir, port, p);
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var resp = await reg.Http.GetAsync("/v2/");
                if (resp.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return reg;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        await reg.DisposeAsync();
        throw new TimeoutException("wharf registry serve did not start");
    }

    public static string DigestOf(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>A monolithic upload (POST, then PUT with the digest); returns the digest.</summary>
    public async Task<string> PutBlobAsync(string repository, byte[] data)
    {
        var digest = DigestOf(data);
        using var start = await Http.PostAsync($"/v2/{repository}/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!;
        var sep = location.OriginalString.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        using var body = new ByteArrayContent(data);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await Http.PutAsync(location.OriginalString + sep + "digest=" + digest, body);
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        return digest;
    }

    /// <summary>Puts a manifest under a tag; returns its digest.</summary>
    public async Task<string> PutManifestAsync(string repository, string tag, byte[] manifest, string mediaType)
    {
        using var body = new ByteArrayContent(manifest);
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var put = await Http.PutAsync($"/v2/{repository}/manifests/{tag}", body);
        Assert.True(put.StatusCode == HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        return DigestOf(manifest);
    }

    /// <summary>Kills the server hard (SIGKILL), as a crash would; disposal then only cleans up.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(Dir, recursive: true);
    }
}
