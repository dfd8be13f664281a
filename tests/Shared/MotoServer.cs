using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Wharf.TestSupport;

/// <summary>
/// A private moto S3 server (python moto[server] 5.2.1, <c>moto_server</c>) on a free loopback
/// port, for tests of the S3 storage backend. Not skipped when missing: starting fails with a
/// message saying how to install it. Disposal kills it; moto keeps everything in memory.
/// </summary>
internal sealed class MotoServer : IAsyncDisposable
{
    public const string AccessKey = "wharf-test-access";
    public const string SecretKey = "wharf-test-secret";

    private readonly Process _process;
    private readonly StringBuilder _log;

    private MotoServer(Process process, int port, StringBuilder log)
    {
        _process = process;
        _log = log;
        Port = port;
        Endpoint = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri Endpoint { get; }

    public static string FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("WHARF_MOTO_SERVER") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "moto_server"))
            .Append("/root/.pyenv/shims/moto_server")
            .Append("/usr/local/bin/moto_server");
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "moto_server was not found (PATH, /root/.pyenv/shims, /usr/local/bin; or set WHARF_MOTO_SERVER). " +
                "The S3 storage tests need it: pip install \"moto[server]==5.2.1\" (scripts/install-deps.sh --test does this).");
    }

    /// <param name="environment">Extra variables for moto, e.g. INITIAL_NO_AUTH_ACTION_COUNT to make it check signatures.</param>
    public static async Task<MotoServer> StartAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        var exe = FindExecutable();
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        var log = new StringBuilder();
        var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + exe);
        p.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        p.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var moto = new MotoServer(p, port, log);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            if (p.HasExited)
            {
                break;
            }
            try
            {
                // The dashboard is no AWS action, so probing spends none of an INITIAL_NO_AUTH_ACTION_COUNT.
                using var resp = await http.GetAsync(new Uri(moto.Endpoint, "/moto-api/"));
                return moto;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        var output = moto.Log;
        await moto.DisposeAsync();
        throw new InvalidOperationException($"{exe} did not answer on port {port}: {output}");
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Creates a fresh bucket (moto checks no signature on this) and returns its name.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var name = "wharf-test-" + Guid.NewGuid().ToString("N")[..12];
        using var http = new HttpClient();
        using var put = await http.PutAsync(new Uri(Endpoint, "/" + name), new ByteArrayContent([]));
        if (!put.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"moto refused bucket {name}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        }
        return name;
    }

    /// <summary>Every key in a bucket (one listing page is enough for a test).</summary>
    public async Task<IReadOnlyList<string>> KeysAsync(string bucket, string prefix = "")
    {
        using var http = new HttpClient();
        var xml = await http.GetStringAsync(new Uri(Endpoint, $"/{bucket}?list-type=2&prefix={Uri.EscapeDataString(prefix)}"));
        var doc = System.Xml.Linq.XDocument.Parse(xml);
        return [.. doc.Descendants().Where(e => e.Name.LocalName == "Key").Select(e => e.Value)];
    }

    private bool _disposed;

    /// <summary>Kills moto; safe to call twice (a test may stop it early to see the store go away).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
