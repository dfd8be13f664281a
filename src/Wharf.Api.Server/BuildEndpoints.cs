using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wharf.Api.Build;
using Wharf.Api.Common;
using Wharf.Core.Build;
using Wharf.Core.Errors;

namespace Wharf.Api.Server;

/// <summary>
/// <c>POST /build</c> (the legacy builder protocol: a tar context in the body, options in the
/// query, a JSON message stream back) and <c>POST /build/prune</c>.
/// </summary>
internal static class BuildEndpoints
{
    private static readonly byte[] Newline = "\r\n"u8.ToArray();

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/build", BuildAsync);
        app.MapPost("/build/prune", PruneAsync);
    }

    private static async Task BuildAsync(HttpContext context, IBuildService builds)
    {
        var request = ParseRequest(context.Request.Query);
        var started = false;
        async ValueTask WriteAsync(BuildMessage message)
        {
            if (!started)
            {
                started = true;
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/json";
            }

            await JsonSerializer.SerializeAsync(context.Response.Body, message, ApiJsonContext.Wire.BuildMessage, context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.WriteAsync(Newline, context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }

        try
        {
            await builds.BuildAsync(
                request,
                context.Request.Body,
                o => WriteAsync(ToMessage(o)),
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (WharfException e) when (started)
        {
            var code = e.Data["code"] is int c ? c : 0;
            await WriteAsync(new BuildMessage { ErrorDetail = new BuildErrorDetail { Code = code, Message = e.Message }, Error = e.Message }).ConfigureAwait(false);
        }
        catch (Exception e) when (started && e is not (WharfException or OperationCanceledException) && !context.RequestAborted.IsCancellationRequested)
        {
            // Once the stream has begun, any failure must still reach the client as an error
            // message; a stream that just ends reads as a successful build to the docker CLI.
            await WriteAsync(new BuildMessage { ErrorDetail = new BuildErrorDetail { Message = e.Message }, Error = e.Message }).ConfigureAwait(false);
        }
    }

    /// <summary>The wire form of one build message; progress as Docker's progress reader writes it (no id, the figures, the bar).</summary>
    internal static BuildMessage ToMessage(BuildOutput o)
    {
        if (o.ImageId is { } id)
        {
            return new BuildMessage { Aux = new BuildResult { Id = id } };
        }

        if (o.Status is { } status)
        {
            return new BuildMessage
            {
                Status = status,
                ProgressDetail = new ProgressDetail { Current = o.Current, Total = o.Total > 0 ? o.Total : null },
                Progress = ProgressStream.RenderBar(o.Current, o.Total),
            };
        }

        return new BuildMessage { Stream = o.Stream };
    }

    internal static BuildRequest ParseRequest(IQueryCollection q)
    {
        var network = q["networkmode"].ToString();
        return new BuildRequest
        {
            Dockerfile = string.IsNullOrEmpty(q["dockerfile"]) ? "Dockerfile" : q["dockerfile"].ToString(),
            Tags = [.. q["t"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!)],
            BuildArgs = JsonMap(q["buildargs"], "buildargs"),
            Labels = JsonMap(q["labels"], "labels").Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal),
            Target = string.IsNullOrEmpty(q["target"]) ? null : q["target"].ToString(),
            NoCache = ImageEndpoints.Bool(q["nocache"]),
            Remove = string.IsNullOrEmpty(q["rm"]) || ImageEndpoints.Bool(q["rm"]),
            ForceRemove = ImageEndpoints.Bool(q["forcerm"]),
            Quiet = ImageEndpoints.Bool(q["q"]),
            CacheFrom = JsonList(q["cachefrom"], "cachefrom"),
            // Wharf keeps builds off the network unless a mode is asked for.
            NetworkMode = network is "" or "default" ? "none" : network,
            ExtraHosts = [.. q["extrahosts"].Where(h => !string.IsNullOrEmpty(h)).SelectMany(h => h!.Split(',', StringSplitOptions.RemoveEmptyEntries))],
            ShmSize = Long(q["shmsize"], "shmsize"),
            Memory = Long(q["memory"], "memory"),
            Platform = string.IsNullOrEmpty(q["platform"]) ? null : q["platform"].ToString(),
            Remote = string.IsNullOrEmpty(q["remote"]) ? null : q["remote"].ToString(),
        };
    }

    private static long Long(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return 0;
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw WharfException.Invalid($"invalid value for {name}: {value}");
    }

    private static Dictionary<string, string?> JsonMap(string? json, string name)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
        {
            return map;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Null)
            {
                return map;
            }

            foreach (var p in doc.RootElement.EnumerateObject())
            {
                map[p.Name] = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString();
            }

            return map;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw WharfException.Invalid($"invalid {name} parameter: {e.Message}", e);
        }
    }

    private static List<string> JsonList(string? json, string name)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Null ? [] : [.. doc.RootElement.EnumerateArray().Select(e => e.GetString() ?? "")];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw WharfException.Invalid($"invalid {name} parameter: {e.Message}", e);
        }
    }

    private static async Task<IResult> PruneAsync(HttpContext context, IBuildService builds)
    {
        var all = ImageEndpoints.Bool(context.Request.Query["all"]);
        var (deleted, reclaimed) = await builds.PruneCacheAsync(all, context.RequestAborted).ConfigureAwait(false);
        var dto = new BuildCachePruneResponse { CachesDeleted = deleted.Count == 0 ? null : deleted, SpaceReclaimed = reclaimed };
        return Results.Json(dto, ApiJsonContext.Wire.BuildCachePruneResponse);
    }
}
