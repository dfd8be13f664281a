using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wharf.Api.Networks;
using Wharf.Core.Errors;
using Wharf.Core.Filters;
using Wharf.Core.Networks;

namespace Wharf.Api.Server.Networks;

/// <summary>/networks routes (Docker Engine API "Network" section).</summary>
internal static class NetworkEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/networks", List);
        app.MapPost("/networks/create", CreateAsync);
        app.MapPost("/networks/prune", PruneAsync);
        app.MapGet("/networks/{id}", Inspect);
        app.MapDelete("/networks/{id}", RemoveAsync);
        app.MapPost("/networks/{id}/connect", ConnectAsync);
        app.MapPost("/networks/{id}/disconnect", DisconnectAsync);
    }

    private static IResult List(HttpContext context, INetworkService networks)
    {
        var list = networks.List(FilterSet.Parse(context.Request.Query["filters"]));
        IReadOnlyList<Network> dto = [.. list.Select(n => NetworkMapper.ToWire(n, null))];
        return Results.Json(dto, NetworkJsonContext.Wire.IReadOnlyListNetwork);
    }

    private static IResult Inspect(INetworkService networks, string id)
    {
        var view = networks.Inspect(id);
        return Results.Json(NetworkMapper.ToWire(view.Network, view.Containers), NetworkJsonContext.Wire.Network);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, INetworkService networks)
    {
        var req = await ReadAsync(context, NetworkJsonContext.Default.NetworkCreateRequest).ConfigureAwait(false)
            ?? throw WharfException.Invalid("invalid JSON: empty body");
        var rec = await networks.CreateAsync(NetworkMapper.ToCore(req), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new NetworkCreateResponse { Id = rec.Id }, NetworkJsonContext.Wire.NetworkCreateResponse, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RemoveAsync(HttpContext context, INetworkService networks, string id)
    {
        await networks.RemoveAsync(id, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> PruneAsync(HttpContext context, INetworkService networks)
    {
        var deleted = await networks.PruneAsync(FilterSet.Parse(context.Request.Query["filters"]), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new NetworksPruneResponse { NetworksDeleted = deleted }, NetworkJsonContext.Wire.NetworksPruneResponse);
    }

    private static async Task<IResult> ConnectAsync(HttpContext context, IContainerNetworkConnector connector, string id)
    {
        var req = await ReadAsync(context, NetworkJsonContext.Default.NetworkConnectRequest).ConfigureAwait(false);
        await connector.ConnectAsync(id, req?.Container ?? "", NetworkMapper.ToEndpointRequest(req?.EndpointConfig), context.RequestAborted).ConfigureAwait(false);
        return Results.Ok();
    }

    private static async Task<IResult> DisconnectAsync(HttpContext context, IContainerNetworkConnector connector, string id)
    {
        var req = await ReadAsync(context, NetworkJsonContext.Default.NetworkConnectRequest).ConfigureAwait(false);
        await connector.DisconnectAsync(id, req?.Container ?? "", req?.Force ?? false, context.RequestAborted).ConfigureAwait(false);
        return Results.Ok();
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context, global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        if (context.Request.ContentLength is 0)
        {
            return null;
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e) when (context.Request.ContentLength is null && e.BytePositionInLine == 0 && e.LineNumber == 0)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw WharfException.Invalid("invalid JSON: " + e.Message, e);
        }
    }
}
