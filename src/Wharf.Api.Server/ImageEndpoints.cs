using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wharf.Api.Images;
using Wharf.Core.Errors;
using Wharf.Core.Filters;
using Wharf.Core.Images;

namespace Wharf.Api.Server;

/// <summary>
/// /images routes. Image names contain slashes and colons, so everything under
/// <c>/images/{name}/...</c> goes through one catch-all that splits off the action suffix.
/// </summary>
internal static class ImageEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/images/json", List);
        app.MapPost("/images/create", CreateAsync);
        app.MapPost("/images/load", LoadAsync);
        app.MapGet("/images/get", SaveManyAsync);
        app.MapPost("/images/prune", PruneAsync);
        app.MapMethods("/images/{**rest}", ["GET", "POST", "DELETE"], ByNameAsync);
    }

    private static IResult List(HttpContext context, IImageService images)
    {
        var q = context.Request.Query;
        var filters = FilterSet.Parse(q["filters"]);
        if (!string.IsNullOrEmpty(q["filter"]))
        {
            // Pre-1.25 clients pass a reference pattern as "filter".
            filters = FilterSet.Parse(JsonSerializer.Serialize(new Dictionary<string, string[]> { ["reference"] = [q["filter"]!] }, ServerJsonContext.Default.DictionaryStringStringArray));
        }

        var version = ApiEdgeMiddleware.VersionOf(context);
        var digests = Bool(q["digests"]);
        var list = images.List(Bool(q["all"]), filters)
            .Select(v => ImageMapper.ToSummary(v, -1, -1))
            .Select(s => digests || s.RepoDigests is not null ? s : s with { RepoDigests = null })
            .Select(s => ApiCompat.ApplyImageSummaryCompat(version, s))
            .ToList();
        return Results.Json(list, ApiJsonContext.Wire.ListImageSummary);
    }

    private static async Task CreateAsync(HttpContext context, IImageService images)
    {
        var q = context.Request.Query;
        var fromSrc = q["fromSrc"].ToString();
        if (!string.IsNullOrEmpty(q["fromImage"]))
        {
            await DistributionEndpoints.PullAsync(context).ConfigureAwait(false);
            return;
        }

        if (string.IsNullOrEmpty(fromSrc))
        {
            throw WharfException.Invalid("either fromImage or fromSrc must be given");
        }

        if (fromSrc != "-")
        {
            throw WharfException.NotImplemented("importing from a URL is not supported yet; pass the archive in the request body (fromSrc=-)");
        }

        var request = new ImportRequest
        {
            Repository = q["repo"],
            Tag = q["tag"],
            Message = q["message"],
            Changes = [.. q["changes"].Where(c => !string.IsNullOrEmpty(c))!],
            Platform = q["platform"],
        };
        var stream = new ProgressStream(context);
        await stream.RunAsync(s => images.ImportAsync(context.Request.Body, request, s.WriteAsync, context.RequestAborted)).ConfigureAwait(false);
    }

    private static async Task LoadAsync(HttpContext context, IImageService images)
    {
        var quiet = Bool(context.Request.Query["quiet"]);
        var stream = new ProgressStream(context);
        await stream.RunAsync(s => images.LoadAsync(context.Request.Body, quiet, s.WriteAsync, context.RequestAborted)).ConfigureAwait(false);
        if (!stream.Started)
        {
            context.Response.ContentType = "application/json";
        }
    }

    private static Task SaveManyAsync(HttpContext context, IImageService images)
    {
        var names = context.Request.Query["names"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList();
        if (names.Count == 0)
        {
            throw WharfException.Invalid("no image names given");
        }

        return SaveAsync(context, images, names);
    }

    private static async Task SaveAsync(HttpContext context, IImageService images, IReadOnlyList<string> names)
    {
        var write = images.PrepareSave(names);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-tar";
        await write(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<IResult> PruneAsync(HttpContext context, IImageService images)
    {
        var filters = FilterSet.Parse(context.Request.Query["filters"]);
        var dangling = filters.GetBool("dangling");
        var result = await images.PruneAsync(all: dangling == false, filters, context.RequestAborted).ConfigureAwait(false);
        var dto = new ImagesPruneResponse
        {
            ImagesDeleted = result.Deleted.Count == 0 ? null : [.. result.Deleted.Select(ImageMapper.ToDelete)],
            SpaceReclaimed = result.SpaceReclaimed,
        };
        return Results.Json(dto, ApiJsonContext.Wire.ImagesPruneResponse);
    }

    private static async Task<IResult> ByNameAsync(HttpContext context, IImageService images, string rest)
    {
        // ASP.NET Core leaves %2F encoded in paths; clients that escape the slashes of a name
        // ("library%2Fbusybox") mean the same image.
        rest = Uri.UnescapeDataString(rest);
        var method = context.Request.Method;
        var q = context.Request.Query;
        var version = ApiEdgeMiddleware.VersionOf(context);
        if (HttpMethods.IsDelete(method))
        {
            var removed = await images.RemoveAsync(rest, Bool(q["force"]), Bool(q["noprune"]), context.RequestAborted).ConfigureAwait(false);
            return Results.Json(removed.Select(ImageMapper.ToDelete).ToList(), ApiJsonContext.Wire.ListImageDeleteResponseItem);
        }

        var (name, action) = Split(rest);
        switch (method, action)
        {
            case ("GET", "json"):
                return Results.Json(ApiCompat.ApplyImageInspectCompat(version, ImageMapper.ToInspect(images.Inspect(name))), ApiJsonContext.Wire.ImageInspect);
            case ("GET", "history"):
                return Results.Json(images.History(name).Select(ImageMapper.ToHistory).ToList(), ApiJsonContext.Wire.ListHistoryResponseItem);
            case ("GET", "get"):
                await SaveAsync(context, images, [name]).ConfigureAwait(false);
                return Results.Empty;
            case ("POST", "tag"):
                var repo = q["repo"].ToString();
                if (string.IsNullOrEmpty(repo))
                {
                    throw WharfException.Invalid("repository name (repo) must be given");
                }

                await images.TagAsync(name, repo, q["tag"], context.RequestAborted).ConfigureAwait(false);
                return Results.StatusCode(StatusCodes.Status201Created);
            case ("POST", "push"):
                await DistributionEndpoints.PushAsync(context, name).ConfigureAwait(false);
                return Results.Empty;
            default:
                throw WharfException.NotFound("page not found");
        }
    }

    /// <summary>Splits "busybox:latest/json" into the name and the action after the last slash.</summary>
    private static (string Name, string Action) Split(string rest)
    {
        var slash = rest.LastIndexOf('/');
        return slash <= 0 ? (rest, "") : (rest[..slash], rest[(slash + 1)..]);
    }

    /// <summary>Docker's boolean query values: "1", "true", "True" are true; empty, "0", "false" are false.</summary>
    internal static bool Bool(string? value)
        => !string.IsNullOrEmpty(value) && !value.Equals("0", StringComparison.Ordinal) && !value.Equals("false", StringComparison.OrdinalIgnoreCase);
}
