using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wharf.Api.Events;
using Wharf.Api.System;
using Wharf.Core;
using Wharf.Core.Events;
using Wharf.Core.Filters;
using Wharf.Core.Images;
using Wharf.Core.System;

namespace Wharf.Api.Server;

/// <summary>/_ping, /version, /info, /events, /system/df.</summary>
internal static class SystemEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods("/_ping", ["GET", "HEAD"], Ping);
        app.MapGet("/version", Version);
        app.MapGet("/info", Info);
        app.MapGet("/events", EventsAsync);
        app.MapGet("/system/df", DiskUsageAsync);
    }

    private static IResult Ping(HttpContext context)
    {
        var h = context.Response.Headers;
        h["Builder-Version"] = "1";
        h.CacheControl = "no-cache, no-store, must-revalidate";
        h.Pragma = "no-cache";
        return HttpMethods.IsHead(context.Request.Method)
            ? Results.Text("", "text/plain; charset=utf-8")
            : Results.Text("OK", "text/plain; charset=utf-8");
    }

    private static IResult Version(ISystemService system)
    {
        var facts = system.GetFacts();
        var arch = RuntimeInformation.OSArchitecture == Architecture.X64 ? "amd64" : RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        var buildTime = File.GetLastWriteTimeUtc(typeof(SystemEndpoints).Assembly.Location).ToString("yyyy-MM-dd'T'HH:mm:ss.000000000+00:00", CultureInfo.InvariantCulture);
        var runtime = ".NET " + Environment.Version;
        var dto = new SystemVersion
        {
            Platform = new PlatformName { Name = "Wharf Engine" },
            Components =
            [
                new ComponentVersion
                {
                    Name = "Engine",
                    Version = EngineVersion.Version,
                    Details = new Dictionary<string, string>
                    {
                        ["ApiVersion"] = EngineVersion.MaxApi,
                        ["Arch"] = arch,
                        ["BuildTime"] = buildTime,
                        ["Experimental"] = "false",
                        ["GitCommit"] = EngineVersion.GitCommit,
                        ["GoVersion"] = runtime,
                        ["KernelVersion"] = facts.KernelVersion,
                        ["MinAPIVersion"] = EngineVersion.MinApi,
                        ["Os"] = "linux",
                    },
                },
            ],
            Version = EngineVersion.Version,
            ApiVersion = EngineVersion.MaxApi,
            MinApiVersion = EngineVersion.MinApi,
            GitCommit = EngineVersion.GitCommit,
            GoVersion = runtime,
            Os = "linux",
            Arch = arch,
            KernelVersion = facts.KernelVersion,
            BuildTime = buildTime,
        };
        return Results.Json(dto, ApiJsonContext.Wire.SystemVersion);
    }

    private static IResult Info(ISystemService system)
    {
        var f = system.GetFacts();
        var dto = new SystemInfo
        {
            Id = f.Id,
            Containers = f.ContainersRunning + f.ContainersPaused + f.ContainersStopped,
            ContainersRunning = f.ContainersRunning,
            ContainersPaused = f.ContainersPaused,
            ContainersStopped = f.ContainersStopped,
            Images = f.Images,
            Driver = f.StorageDriver,
            DriverStatus = f.StorageDriver == "overlay2"
                ? [["Backing Filesystem", "extfs"], ["Supports d_type", "true"], ["Native Overlay Diff", "true"], ["userxattr", "false"]]
                : [],
            Plugins = new PluginsInfo { Volume = ["local"], Network = ["bridge", "host", "null"], Log = ["json-file"] },
            MemoryLimit = true,
            SwapLimit = true,
            KernelMemoryTcp = true,
            CpuCfsPeriod = true,
            CpuCfsQuota = true,
            CpuShares = true,
            CpuSet = true,
            PidsLimit = true,
            IPv4Forwarding = File.Exists("/proc/sys/net/ipv4/ip_forward") && File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim() == "1",
            BridgeNfIptables = true,
            BridgeNfIp6tables = true,
            Debug = f.Debug,
            NFd = CountFds(),
            OomKillDisable = f.CgroupVersion == "1",
            NGoroutines = ThreadCount(),
            SystemTime = f.SystemTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffK", CultureInfo.InvariantCulture),
            LoggingDriver = f.LoggingDriver,
            CgroupDriver = f.CgroupDriver,
            CgroupVersion = f.CgroupVersion,
            KernelVersion = f.KernelVersion,
            OperatingSystem = f.OperatingSystem,
            OsVersion = f.OsVersion,
            OsType = "linux",
            Architecture = f.Architecture,
            IndexServerAddress = "https://index.docker.io/v1/",
            RegistryConfig = new RegistryServiceConfig
            {
                InsecureRegistryCidrs = ["127.0.0.0/8", .. f.InsecureRegistries],
                IndexConfigs = new Dictionary<string, IndexInfo>
                {
                    ["docker.io"] = new IndexInfo { Name = "docker.io", Mirrors = f.RegistryMirrors, Secure = true, Official = true },
                },
                Mirrors = f.RegistryMirrors,
            },
            NCpu = f.Cpus,
            MemTotal = f.MemTotal,
            DockerRootDir = f.DataRoot,
            HttpProxy = f.HttpProxy,
            HttpsProxy = f.HttpsProxy,
            NoProxy = f.NoProxy,
            Name = f.Name,
            Labels = f.Labels,
            ServerVersion = EngineVersion.Version,
            Runtimes = f.Runtimes.ToDictionary(r => r.Key, r => new RuntimeInfo { Path = r.Value }, StringComparer.Ordinal),
            DefaultRuntime = f.DefaultRuntime,
            Swarm = new SwarmInfo { LocalNodeState = "inactive" },
            InitBinary = "docker-init",
            SecurityOptions = ["name=seccomp,profile=default"],
        };
        return Results.Json(dto, ApiJsonContext.Wire.SystemInfo);
    }

    private static int CountFds()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static int ThreadCount() => global::System.Diagnostics.Process.GetCurrentProcess().Threads.Count;

    private static async Task EventsAsync(HttpContext context, IEventService events, TimeProvider time)
    {
        var q = context.Request.Query;
        var now = time.GetUtcNow();
        var filters = FilterSet.Parse(q["filters"]);
        filters.Validate("config", "container", "daemon", "event", "image", "label", "network", "node", "plugin", "scope", "secret", "service", "type", "volume");
        long? since = string.IsNullOrEmpty(q["since"]) ? null : ToNano(TimeFilter.Parse(q["since"]!, now));
        long? until = string.IsNullOrEmpty(q["until"]) ? null : ToNano(TimeFilter.Parse(q["until"]!, now));
        if (since is { } s && until is { } u && s > u)
        {
            throw Core.Errors.WharfException.Invalid("since time must be before until time");
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            await foreach (var ev in events.StreamAsync(since, until, filters, context.RequestAborted).ConfigureAwait(false))
            {
                var legacy = ev.Type is "image" or "container";
                var dto = new EventMessage
                {
                    Status = legacy ? ev.Action : null,
                    Id = legacy ? ev.ActorId : null,
                    From = ev.Type == "container" && ev.Attributes.TryGetValue("image", out var img) ? img : null,
                    Type = ev.Type,
                    Action = ev.Action,
                    Actor = new EventActor { Id = ev.ActorId, Attributes = ev.Attributes },
                    Scope = ev.Scope,
                    Time = ev.TimeNano / 1_000_000_000,
                    TimeNano = ev.TimeNano,
                };
                await JsonSerializer.SerializeAsync(context.Response.Body, dto, ApiJsonContext.Wire.EventMessage, context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private static long ToNano(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private static async Task<IResult> DiskUsageAsync(HttpContext context, IImageService images, Core.Containers.IContainerService containers, Core.Volumes.IVolumeService volumes, Core.Build.IBuildService builds, TimeProvider time)
    {
        var types = context.Request.Query["type"].Where(t => !string.IsNullOrEmpty(t)).ToList();
        foreach (var t in types)
        {
            if (t is not ("container" or "image" or "volume" or "build-cache"))
            {
                throw Core.Errors.WharfException.Invalid($"unknown object type: {t}");
            }
        }

        bool Want(string t) => types.Count == 0 || types.Contains(t);
        var cache = Want("build-cache") ? builds.ListCache() : [];
        var version = ApiEdgeMiddleware.VersionOf(context);
        var dto = new DiskUsage
        {
            LayersSize = Want("image") ? images.LayersSize() : 0,
            Images = Want("image") ? [.. images.List(all: true, FilterSet.Empty).Select(v => ApiCompat.ApplyImageSummaryCompat(version, ImageMapper.ToSummary(v, containers.UsingImage(v.Image.Id).Count, 0)))] : null,
            Containers = Want("container") ? [.. containers.List(all: true, 0, FilterSet.Empty).Select(c => Containers.ContainerMapper.ToSummary(c, time.GetUtcNow(), containers.GetSizeRw(c.Id)))] : null,
            Volumes = Want("volume") ? [.. (await volumes.GetUsageAsync(context.RequestAborted).ConfigureAwait(false)).Select(Volumes.VolumeMapper.ToWire)] : null,
            BuildCache = Want("build-cache") ? [.. cache.Select(BuildMapper.ToWire)] : null,
            BuilderSize = cache.Sum(c => c.Size),
        };
        return Results.Json(dto, ApiJsonContext.Wire.DiskUsage);
    }
}
