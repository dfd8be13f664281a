using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wharf.Registry.Auth;
using Wharf.Registry.Config;
using Wharf.Registry.Http;
using Wharf.Registry.Storage;

namespace Wharf.Registry;

/// <summary>
/// A running registry: Kestrel on one address, the distribution API over the configured storage
/// (a filesystem root or an S3 bucket).
/// <see cref="StartAsync"/> returns once the socket is bound, so <see cref="Addresses"/> tells
/// the real port when port 0 was asked for.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    /// <summary>The spec's suggested minimum a registry should accept for a manifest.</summary>
    public const long DefaultMaxManifestBytes = 4 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly RegistryStorage _storage;

    private RegistryServer(WebApplication app, RegistryStorage storage, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        _storage = storage;
        Addresses = addresses;
    }

    public IReadOnlyList<Uri> Addresses { get; }

    public static async Task<RegistryServer> StartAsync(RegistryConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var endpoint = ParseAddress(config.Addr ?? "127.0.0.1:5000");
        X509Certificate2? certificate = null;
        if (config.TlsCert is not null || config.TlsKey is not null)
        {
            if (config.TlsCert is null || config.TlsKey is null)
            {
                throw new ArgumentException("TLS needs both a certificate and a key");
            }
            certificate = X509Certificate2.CreateFromPemFile(config.TlsCert, config.TlsKey);
        }
        var access = await AccessFactory.CreateAsync(config, certificate is not null, cancellationToken).ConfigureAwait(false);
        var storage = await RegistryStorage.OpenAsync(config, TimeProvider.System, Environment.GetEnvironmentVariable, cancellationToken).ConfigureAwait(false);
        var api = new RegistryApi(storage.Blobs, storage.Uploads, storage.Repositories, access, config.MaxManifestBytes ?? DefaultMaxManifestBytes);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = storage.Root ?? AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null; // blobs are as large as they are
            k.Limits.MinRequestBodyDataRate = null;
            k.Listen(endpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http1;
                }
            });
        });
        var app = builder.Build();
        app.Run(api.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)))
            .ToList();
        return new RegistryServer(app, storage, addresses);
    }

    /// <summary>Completes when the server stops (on <paramref name="cancellationToken"/>).</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _storage.Dispose();
    }

    /// <summary>"host:port", "[v6]:port" or ":port" (every interface).</summary>
    internal static IPEndPoint ParseAddress(string addr)
    {
        if (addr.StartsWith(':'))
        {
            addr = "0.0.0.0" + addr;
        }
        if (IPEndPoint.TryParse(addr, out var ep) && ep.Port is >= 0 and <= 65535 && addr.Contains(':', StringComparison.Ordinal))
        {
            return ep;
        }
        var colon = addr.LastIndexOf(':');
        if (colon > 0 && addr[..colon] == "localhost" && int.TryParse(addr[(colon + 1)..], out var port) && port is >= 0 and <= 65535)
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }
        throw new ArgumentException($"invalid listen address \"{addr}\" (want host:port)");
    }
}
