using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wharf.Api.Containers;
using Wharf.Core.Containers;
using Wharf.Core.Containers.Files;
using Wharf.Core.Errors;
using Wharf.Oci.Image;

namespace Wharf.Api.Server.Containers;

/// <summary>
/// The container file system routes: <c>/containers/{id}/archive</c> (HEAD, GET, PUT),
/// <c>/containers/{id}/changes</c>, <c>/containers/{id}/export</c> and <c>/commit</c>.
/// </summary>
internal static class ContainerFileEndpoints
{
    public const string PathStatHeader = "X-Docker-Container-Path-Stat";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods("/containers/{id}/archive", ["HEAD"], StatAsync);
        app.MapGet("/containers/{id}/archive", GetArchiveAsync);
        app.MapPut("/containers/{id}/archive", PutArchiveAsync);
        app.MapGet("/containers/{id}/changes", ChangesAsync);
        app.MapGet("/containers/{id}/export", ExportAsync);
        app.MapPost("/commit", CommitAsync);
    }

    /// <summary>The header value: base64 of the stat JSON, as Docker sends it.</summary>
    public static string EncodeStat(ContainerPathStat stat)
    {
        var dto = new PathStat { Name = stat.Name, Size = stat.Size, Mode = stat.Mode, Mtime = GoTime(stat.Mtime), LinkTarget = stat.LinkTarget };
        return Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(dto, ContainerFilesJsonContext.Wire.PathStat));
    }

    /// <summary>Go's time.Time JSON form (RFC 3339, fraction without trailing zeros, "Z" for UTC).</summary>
    public static string GoTime(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            text += "." + fraction.ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
        }

        return text + "Z";
    }

    private static string RequirePath(HttpContext context)
    {
        var path = context.Request.Query["path"].ToString();

        // Docker's badParameterError glues its two parts together without a space.
        return path.Length > 0 ? path : throw WharfException.Invalid("bad parameter: pathcannot be empty");
    }

    private static async Task StatAsync(HttpContext context, IContainerFiles files, string id)
    {
        var stat = await files.StatPathAsync(id, RequirePath(context), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers[PathStatHeader] = EncodeStat(stat);
    }

    private static async Task GetArchiveAsync(HttpContext context, IContainerFiles files, string id)
    {
        var source = await files.OpenArchiveAsync(id, RequirePath(context), context.RequestAborted).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-tar";
            context.Response.Headers[PathStatHeader] = EncodeStat(source.Stat!);
            await StreamAsync(context, source).ConfigureAwait(false);
        }
    }

    private static async Task<IResult> PutArchiveAsync(HttpContext context, IContainerFiles files, string id)
    {
        var q = context.Request.Query;
        await files.ExtractArchiveAsync(
            id,
            RequirePath(context),
            context.Request.Body,
            ImageEndpoints.Bool(q["noOverwriteDirNonDir"]),
            ImageEndpoints.Bool(q["copyUIDGID"]),
            context.RequestAborted).ConfigureAwait(false);
        return Results.Ok();
    }

    private static async Task ChangesAsync(HttpContext context, IContainerFiles files, string id)
    {
        var changes = await files.ChangesAsync(id, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";

        // Docker answers null, not [], when nothing changed.
        if (changes.Count == 0)
        {
            await context.Response.WriteAsync("null\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var dto = changes.Select(c => new ContainerChange { Path = c.Path, Kind = (int)c.Kind }).ToList();
        await JsonSerializer.SerializeAsync(context.Response.Body, dto, ContainerJsonContext.Wire.ListContainerChange, context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task ExportAsync(HttpContext context, IContainerFiles files, string id)
    {
        var source = await files.OpenExportAsync(id, context.RequestAborted).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/octet-stream";
            await StreamAsync(context, source).ConfigureAwait(false);
        }
    }

    private static async Task<IResult> CommitAsync(HttpContext context, IContainerFiles files)
    {
        var q = context.Request.Query;
        var container = q["container"].ToString();
        if (container.Length == 0)
        {
            throw WharfException.NotFound("No such container: ");
        }

        var config = await ReadConfigAsync(context).ConfigureAwait(false);
        var request = new ContainerCommitRequest
        {
            Container = container,
            Repository = NullIfEmpty(q["repo"]),
            Tag = NullIfEmpty(q["tag"]),
            Author = NullIfEmpty(q["author"]),
            Comment = NullIfEmpty(q["comment"]),

            // Since API 1.13 a commit pauses unless told not to.
            Pause = string.IsNullOrEmpty(q["pause"]) || ImageEndpoints.Bool(q["pause"]),
            Changes = [.. q["changes"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!)],
            Config = config,
        };
        var imageId = await files.CommitAsync(request, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new IdResponse { Id = imageId.Value }, ContainerFilesJsonContext.Wire.IdResponse, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The optional Config body of a commit: empty and "null" both mean none.</summary>
    private static async Task<ContainerConfig?> ReadConfigAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, ContainerFilesJsonContext.Default.ContainerConfig);
        }
        catch (JsonException e)
        {
            throw WharfException.Invalid("invalid JSON in request body: " + e.Message, e);
        }
    }

    /// <summary>
    /// Streams the tar. A failure after the first byte cannot become an HTTP error any more;
    /// aborting the connection makes the client see a broken archive rather than a short one.
    /// </summary>
    private static async Task StreamAsync(HttpContext context, IArchiveSource source)
    {
        try
        {
            await source.WriteToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception) when (context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            context.Abort();
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
