using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wharf.Api.Containers;
using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Wharf.Core.Filters;

namespace Wharf.Api.Server.Containers;

/// <summary>/containers routes (Docker Engine API "Container" section).</summary>
internal static partial class ContainerEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/containers/create", CreateAsync);
        app.MapGet("/containers/json", List);
        app.MapPost("/containers/prune", PruneAsync);
        app.MapGet("/containers/{id}/json", Inspect);
        app.MapPost("/containers/{id}/start", StartAsync);
        app.MapPost("/containers/{id}/stop", StopAsync);
        app.MapPost("/containers/{id}/restart", RestartAsync);
        app.MapPost("/containers/{id}/kill", KillAsync);
        app.MapPost("/containers/{id}/pause", PauseAsync);
        app.MapPost("/containers/{id}/unpause", UnpauseAsync);
        app.MapPost("/containers/{id}/rename", RenameAsync);
        app.MapPost("/containers/{id}/resize", ResizeAsync);
        app.MapPost("/containers/{id}/wait", WaitAsync);
        app.MapPost("/containers/{id}/attach", AttachAsync);
        app.MapGet("/containers/{id}/attach/ws", AttachWebSocketAsync);
        app.MapGet("/containers/{id}/logs", LogsAsync);
        app.MapDelete("/containers/{id}", RemoveAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IContainerService containers)
    {
        ContainerCreateRequest? req;
        try
        {
            req = await JsonSerializer.DeserializeAsync(context.Request.Body, ContainerJsonContext.Default.ContainerCreateRequest, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw WharfException.Invalid("invalid JSON in request body: " + e.Message, e);
        }

        if (req is null)
        {
            throw WharfException.Invalid("config cannot be empty in order to create a container");
        }

        if (string.IsNullOrEmpty(req.Image))
        {
            throw WharfException.Invalid("Config.Image must be set");
        }

        var spec = ContainerMapper.ToSpec(req, context.Request.Query["name"]);
        var (id, warnings) = await containers.CreateAsync(spec, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new ContainerCreateResponse { Id = id, Warnings = warnings }, ContainerJsonContext.Wire.ContainerCreateResponse, statusCode: StatusCodes.Status201Created);
    }

    private static IResult List(HttpContext context, IContainerService containers, Core.Images.IImageService images, TimeProvider time)
    {
        var q = context.Request.Query;
        var limit = int.TryParse(q["limit"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : -1;
        var size = ImageEndpoints.Bool(q["size"]);
        var now = time.GetUtcNow();
        var list = containers.List(ImageEndpoints.Bool(q["all"]), limit, FilterSet.Parse(q["filters"]))
            .Select(c => ContainerMapper.ToSummary(c, now, size ? containers.GetSizeRw(c.Id) : null) is var dto && size
                ? dto with { SizeRootFs = (dto.SizeRw ?? 0) + ImageSize(images, c) }
                : dto)
            .ToList();
        return Results.Json(list, ContainerJsonContext.Wire.ListContainerSummary);
    }

    private static IResult Inspect(HttpContext context, IContainerService containers, Core.Exec.IExecService execs, string id)
    {
        var c = containers.Inspect(id);
        long? size = ImageEndpoints.Bool(context.Request.Query["size"]) ? containers.GetSizeRw(c.Id) : null;
        var dto = ApiCompat.ApplyContainerInspectCompat(ApiEdgeMiddleware.VersionOf(context), ContainerMapper.ToInspect(c, containers.PathsOf(c.Id), c.Driver, size) with
        {
            ExecIDs = execs.RunningIds(c.Id) is { Count: > 0 } execIds ? execIds : null,
        });
        return Results.Json(dto, ContainerJsonContext.Wire.ContainerInspect);
    }

    private static async Task<IResult> StartAsync(IContainerService containers, string id, HttpContext context)
    {
        await containers.StartAsync(id, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> StopAsync(IContainerService containers, string id, HttpContext context)
    {
        await containers.StopAsync(id, Timeout(context), NullIfEmpty(context.Request.Query["signal"]), context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> RestartAsync(IContainerService containers, string id, HttpContext context)
    {
        await containers.RestartAsync(id, Timeout(context), context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> KillAsync(IContainerService containers, string id, HttpContext context)
    {
        await containers.KillAsync(id, NullIfEmpty(context.Request.Query["signal"]), context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> PauseAsync(IContainerService containers, string id, HttpContext context)
    {
        await containers.PauseAsync(id, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> UnpauseAsync(IContainerService containers, string id, HttpContext context)
    {
        await containers.UnpauseAsync(id, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> RenameAsync(IContainerService containers, string id, HttpContext context)
    {
        var name = context.Request.Query["name"].ToString();
        if (name.Length == 0)
        {
            throw WharfException.Invalid("Neither old nor new names may be empty");
        }

        await containers.RenameAsync(id, name, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> ResizeAsync(IContainerService containers, string id, HttpContext context)
    {
        var q = context.Request.Query;
        if (!int.TryParse(q["h"], NumberStyles.None, CultureInfo.InvariantCulture, out var h) || !int.TryParse(q["w"], NumberStyles.None, CultureInfo.InvariantCulture, out var w))
        {
            throw WharfException.Invalid("invalid resize parameters: h and w must be non-negative integers");
        }

        await containers.ResizeAsync(id, h, w, context.RequestAborted).ConfigureAwait(false);
        return Results.Ok();
    }

    private static async Task<IResult> RemoveAsync(IContainerService containers, string id, HttpContext context)
    {
        var q = context.Request.Query;
        if (ImageEndpoints.Bool(q["link"]))
        {
            throw WharfException.NotImplemented("legacy links are not supported");
        }

        await containers.RemoveAsync(id, ImageEndpoints.Bool(q["force"]), ImageEndpoints.Bool(q["v"]), context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> PruneAsync(IContainerService containers, HttpContext context)
    {
        var (deleted, space) = await containers.PruneAsync(FilterSet.Parse(context.Request.Query["filters"]), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new ContainersPruneResponse { ContainersDeleted = deleted.Count == 0 ? null : deleted, SpaceReclaimed = (ulong)space }, ContainerJsonContext.Wire.ContainersPruneResponse);
    }

    private static long ImageSize(Core.Images.IImageService images, ContainerRecord c)
    {
        try
        {
            return images.Inspect(c.ImageId.Value).Image.Size;
        }
        catch (WharfException)
        {
            return 0;
        }
    }

    private static int? Timeout(HttpContext context)
        => int.TryParse(context.Request.Query["t"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t) ? t : null;

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
