using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wharf.Api.Volumes;
using Wharf.Core.Errors;
using Wharf.Core.Filters;
using Wharf.Core.Volumes;

namespace Wharf.Api.Server.Volumes;

/// <summary>/volumes routes (Docker Engine API "Volume" section).</summary>
internal static class VolumeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/volumes", List);
        app.MapPost("/volumes/create", CreateAsync);
        app.MapPost("/volumes/prune", PruneAsync);
        app.MapGet("/volumes/{name}", Inspect);
        app.MapPut("/volumes/{name}", Update);
        app.MapDelete("/volumes/{name}", RemoveAsync);
    }

    private static IResult List(HttpContext context, IVolumeService volumes)
    {
        var (list, warnings) = volumes.List(FilterSet.Parse(context.Request.Query["filters"]));
        var dto = new VolumeListResponse { Volumes = [.. list.Select(VolumeMapper.ToWire)], Warnings = warnings.Count == 0 ? null : warnings };
        return Results.Json(dto, VolumeJsonContext.Wire.VolumeListResponse);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IVolumeService volumes)
    {
        Api.Volumes.VolumeCreateRequest? req = null;
        if (context.Request.ContentLength is not 0)
        {
            try
            {
                req = await JsonSerializer.DeserializeAsync(context.Request.Body, VolumeJsonContext.Default.VolumeCreateRequest, context.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e) when (context.Request.ContentLength is null && e.BytePositionInLine == 0 && e.LineNumber == 0)
            {
                // A chunked request with an empty body: nothing asked for, like Content-Length 0.
            }
            catch (JsonException e)
            {
                throw WharfException.Invalid("invalid JSON: " + e.Message, e);
            }
        }

        var volume = await volumes.CreateAsync(VolumeMapper.ToCore(req), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(VolumeMapper.ToWire(volume), VolumeJsonContext.Wire.Volume, statusCode: StatusCodes.Status201Created);
    }

    private static IResult Inspect(IVolumeService volumes, string name)
        => Results.Json(VolumeMapper.ToWire(volumes.Inspect(name)), VolumeJsonContext.Wire.Volume);

    /// <summary>Updates exist only for swarm cluster volumes, which Wharf does not have.</summary>
    private static IResult Update(string name)
        => throw new WharfException(ErrorKind.Unavailable, "volume update only valid for cluster volumes, but swarm is unavailable");

    private static async Task<IResult> RemoveAsync(HttpContext context, IVolumeService volumes, string name)
    {
        await volumes.RemoveAsync(name, ImageEndpoints.Bool(context.Request.Query["force"]), context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> PruneAsync(HttpContext context, IVolumeService volumes)
    {
        var filters = ApiCompat.ApplyVolumePruneCompat(ApiEdgeMiddleware.VersionOf(context), FilterSet.Parse(context.Request.Query["filters"]));
        var result = await volumes.PruneAsync(filters, context.RequestAborted).ConfigureAwait(false);
        var dto = new VolumesPruneResponse { VolumesDeleted = result.Deleted, SpaceReclaimed = (ulong)result.SpaceReclaimed };
        return Results.Json(dto, VolumeJsonContext.Wire.VolumesPruneResponse);
    }
}
