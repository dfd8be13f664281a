using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Wharf.Api.Server;

/// <summary>Wires the Docker Engine API into an ASP.NET Core application.</summary>
public static class WharfApi
{
    public static void UseWharfApi(this WebApplication app)
    {
        app.UseMiddleware<ApiEdgeMiddleware>();
        // For GET /containers/{id}/attach/ws.
        app.UseWebSockets();
        app.UseRouting();
        SystemEndpoints.Map(app);
        ImageEndpoints.Map(app);
        Containers.ContainerEndpoints.Map(app);
        Containers.ContainerResourceEndpoints.Map(app);
        Volumes.VolumeEndpoints.Map(app);
        Networks.NetworkEndpoints.Map(app);
        Containers.ContainerFileEndpoints.Map(app);
        Exec.ExecEndpoints.Map(app);
        BuildEndpoints.Map(app);
        DistributionEndpoints.Map(app);
        app.MapFallback(context => ApiEdgeMiddleware.WriteErrorAsync(context, StatusCodes.Status404NotFound, "page not found"));
    }
}
