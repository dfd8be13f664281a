using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wharf.Api.Containers;
using Wharf.Core.Containers;
using Wharf.Core.Containers.Stats;
using Wharf.Core.Errors;

namespace Wharf.Api.Server.Containers;

/// <summary><c>/containers/{id}/stats</c>, <c>/top</c> and <c>/update</c>.</summary>
internal static class ContainerResourceEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/containers/{id}/stats", StatsAsync);
        app.MapGet("/containers/{id}/top", TopAsync);
        app.MapPost("/containers/{id}/update", UpdateAsync);
    }

    /// <summary>
    /// One JSON object per line. A stream answers its headers at once and has no Content-Type
    /// (dockerd sets it only for <c>stream=false</c>); errors before the first object are real
    /// HTTP errors, a client going away ends it quietly.
    /// </summary>
    private static async Task StatsAsync(HttpContext context, IContainerStatsService stats, string id)
    {
        var q = context.Request.Query;
        var stream = QueryBool(q, "stream", defaultValue: true);
        var oneShot = ApiCompat.StatsOneShotSupported(ApiEdgeMiddleware.VersionOf(context)) && QueryBool(q, "one-shot", defaultValue: false);
        var aborted = context.RequestAborted;
        var frames = await stats.StatsAsync(id, stream, oneShot, aborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
        if (!stream)
        {
            context.Response.ContentType = "application/json";
        }
        else
        {
            await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
        }

        try
        {
            await foreach (var frame in frames.WithCancellation(aborted).ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(context.Response.Body, StatsMapper.ToWire(frame), ContainerJsonContext.Wire.ContainerStats, aborted).ConfigureAwait(false);
                await context.Response.Body.WriteAsync("\n"u8.ToArray(), aborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            // The client stopped reading (docker stats exits, curl --max-time).
        }
    }

    private static async Task<IResult> TopAsync(HttpContext context, IContainerStatsService stats, string id)
    {
        var top = await stats.TopAsync(id, context.Request.Query["ps_args"].ToString(), context.RequestAborted).ConfigureAwait(false);
        // dockerd's Processes is a nil slice (null) when no row matched.
        var dto = new ContainerTopResponse { Titles = top.Titles, Processes = top.Processes.Count == 0 ? null : top.Processes };
        return Results.Json(dto, ContainerJsonContext.Wire.ContainerTopResponse);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, IContainerUpdateService updates, string id)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        ContainerUpdateRequest req;
        if (buffer.Length == 0)
        {
            // An empty body changes nothing (Docker's ReadJSON since API 1.44 accepts it).
            req = new ContainerUpdateRequest();
        }
        else
        {
            try
            {
                req = JsonSerializer.Deserialize(buffer.ToArray(), ContainerJsonContext.Default.ContainerUpdateRequest) ?? new ContainerUpdateRequest();
            }
            catch (JsonException e)
            {
                throw WharfException.Invalid("invalid JSON: " + e.Message, e);
            }
        }

        req = ApiCompat.ApplyContainerUpdateCompat(ApiEdgeMiddleware.VersionOf(context), req);
        var warnings = await updates.UpdateAsync(id, ToUpdate(req), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new ContainerUpdateResponse { Warnings = warnings }, ContainerJsonContext.Wire.ContainerUpdateResponse);
    }

    internal static ContainerUpdate ToUpdate(ContainerUpdateRequest r) => new()
    {
        Memory = r.Memory ?? 0,
        MemorySwap = r.MemorySwap ?? 0,
        MemoryReservation = r.MemoryReservation ?? 0,
        KernelMemory = r.KernelMemory ?? 0,
        MemorySwappiness = r.MemorySwappiness,
        OomKillDisable = r.OomKillDisable,
        NanoCpus = r.NanoCpus ?? 0,
        CpuShares = r.CpuShares ?? 0,
        CpuQuota = r.CpuQuota ?? 0,
        CpuPeriod = r.CpuPeriod ?? 0,
        CpuRealtimePeriod = r.CpuRealtimePeriod ?? 0,
        CpuRealtimeRuntime = r.CpuRealtimeRuntime ?? 0,
        CpuPercent = r.CpuPercent ?? 0,
        CpusetCpus = r.CpusetCpus ?? "",
        CpusetMems = r.CpusetMems ?? "",
        // 0 and any negative value mean "unlimited" when updating (moby postContainerUpdate).
        PidsLimit = r.PidsLimit is { } p ? Math.Max(p, 0) : null,
        BlkioWeight = r.BlkioWeight ?? 0,
        IOMaximumIOps = r.IOMaximumIOps ?? 0,
        IOMaximumBandwidth = r.IOMaximumBandwidth ?? 0,
        RestartPolicy = r.RestartPolicy is { } rp ? new Core.Containers.RestartPolicy(rp.Name, rp.MaximumRetryCount) : null,
    };

    /// <summary>Go's httputils.BoolValueOrDefault: absent gives the default; "", 0, no, false and none are false.</summary>
    internal static bool QueryBool(IQueryCollection query, string key, bool defaultValue)
    {
        if (!query.TryGetValue(key, out var values))
        {
            return defaultValue;
        }

        var v = values.ToString().Trim().ToLowerInvariant();
        return v is not ("" or "0" or "no" or "false" or "none");
    }
}
