using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wharf.Api.Server;

namespace Wharf.Daemon;

/// <summary>Builds the web host on the unix sockets and runs until SIGTERM/SIGINT.</summary>
internal static class DaemonHost
{
    public static async Task<int> RunAsync(DaemonOptions options)
    {
        if (Wharf.Runtime.Cgroups.CpuRealtimeBudget.CheckDaemonSettings(options.CpuRealtimePeriod, options.CpuRealtimeRuntime) is { } rtError)
        {
            throw new DaemonStartException(rtError);
        }

        var sockets = options.Hosts.Select(Listeners.UnixPath).Distinct().ToList();
        Directory.CreateDirectory(options.DataRoot);
        Directory.CreateDirectory(options.ExecRoot);
        using var pid = options.Pidfile is null ? null : new PidFile(options.Pidfile);
        foreach (var s in sockets)
        {
            Listeners.PrepareSocket(s);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c =>
        {
            c.SingleLine = true;
            c.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            c.UseUtcTimestamp = true;
        });
        builder.Logging.SetMinimumLevel(options.Debug ? LogLevel.Debug : ParseLevel(options.LogLevel));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.Limits.MinRequestBodyDataRate = null;
            k.AddServerHeader = false;
            foreach (var s in sockets)
            {
                k.ListenUnixSocket(s, l =>
                {
                    l.Protocols = HttpProtocols.Http1;
                    l.Use(UpgradeWithBody.Middleware);
                    l.Use(HalfCloseGuard.Middleware);
                });
            }
        });
        builder.Services.AddWharfEngine(options);
        // Streams that follow containers (wait, attach, logs -f, events) never end by
        // themselves; do not let them hold a stopping daemon for long.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));

        var app = builder.Build();
        await app.Services.InitializeWharfEngineAsync(CancellationToken.None).ConfigureAwait(false);
        app.UseWharfApi();
        await app.StartAsync().ConfigureAwait(false);
        foreach (var s in sockets)
        {
            // Docker's socket is 0660 (root and the docker group); so is ours.
            File.SetUnixFileMode(s, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        }

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("wharfd");
        DaemonLog.Listening(log, string.Join(", ", sockets), options.DataRoot);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        // Containers keep running under their monitors; only stop watching them.
        await app.Services.GetRequiredService<Wharf.Engine.Containers.ContainerService>().ShutdownAsync().ConfigureAwait(false);
        foreach (var s in sockets)
        {
            File.Delete(s);
        }

        return 0;
    }

    private static LogLevel ParseLevel(string level) => level switch
    {
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "fatal" => LogLevel.Critical,
        _ => LogLevel.Information,
    };
}
