using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wharf.Api.Distribution;
using Wharf.Core.Distribution;
using Wharf.Core.Errors;

namespace Wharf.Api.Server;

/// <summary>Registry routes: pull and push (called from the image routes), /auth, /distribution, /images/search.</summary>
internal static class DistributionEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/auth", LoginAsync);
        app.MapGet("/images/search", SearchAsync);
        app.MapGet("/distribution/{**rest}", InspectAsync);
    }

    /// <summary><c>POST /images/create?fromImage=</c>.</summary>
    public static async Task PullAsync(HttpContext context)
    {
        var distribution = context.RequestServices.GetService(typeof(IDistributionService)) as IDistributionService
            ?? throw WharfException.NotImplemented("pulling images is not supported by this daemon");
        var q = context.Request.Query;
        var request = new PullRequest
        {
            Image = q["fromImage"].ToString(),
            Tag = q["tag"],
            Platform = q["platform"],
            Auth = RegistryAuthOf(context),
        };
        var stream = new ProgressStream(context);
        await stream.RunAsync(s => distribution.PullAsync(request, s.WriteAsync, context.RequestAborted)).ConfigureAwait(false);
    }

    /// <summary><c>POST /images/{name}/push?tag=</c>.</summary>
    public static async Task PushAsync(HttpContext context, string name)
    {
        var distribution = context.RequestServices.GetService(typeof(IDistributionService)) as IDistributionService
            ?? throw WharfException.NotImplemented("pushing images is not supported by this daemon");
        var stream = new ProgressStream(context);
        await stream.RunAsync(s => distribution.PushAsync(name, context.Request.Query["tag"], RegistryAuthOf(context), s.WriteAsync, context.RequestAborted)).ConfigureAwait(false);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, IDistributionService distribution)
    {
        AuthConfig? config;
        try
        {
            config = await JsonSerializer.DeserializeAsync(context.Request.Body, DistributionJsonContext.Wire.AuthConfig, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw WharfException.Invalid("invalid auth configuration: " + e.Message, e);
        }

        var token = await distribution.LoginAsync(ToAuth(config ?? new AuthConfig()), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new AuthResponse { Status = "Login Succeeded", IdentityToken = token }, DistributionJsonContext.Wire.AuthResponse);
    }

    private static async Task<IResult> SearchAsync(HttpContext context, IDistributionService distribution)
    {
        var q = context.Request.Query;
        var term = q["term"].ToString();
        var limit = 25;
        if (!string.IsNullOrEmpty(q["limit"]) && (!int.TryParse(q["limit"], NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > 100))
        {
            throw WharfException.Invalid("limit " + q["limit"] + " is outside the range of [1, 100]");
        }

        var results = await distribution.SearchAsync(term, limit, RegistryAuthOf(context), context.RequestAborted).ConfigureAwait(false);
        var rows = results.Select(r => new ImageSearchResult { Name = r.Name, Description = r.Description, StarCount = r.StarCount, IsOfficial = r.IsOfficial, IsAutomated = r.IsAutomated }).ToList();
        return Results.Json(rows, DistributionJsonContext.Wire.ListImageSearchResult);
    }

    private static async Task<IResult> InspectAsync(HttpContext context, IDistributionService distribution, string rest)
    {
        rest = Uri.UnescapeDataString(rest);
        if (!rest.EndsWith("/json", StringComparison.Ordinal))
        {
            throw WharfException.NotFound("page not found");
        }

        var result = await distribution.InspectAsync(rest[..^5], RegistryAuthOf(context), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new DistributionInspectResponse { Descriptor = result.Descriptor, Platforms = result.Platforms }, DistributionJsonContext.Wire.DistributionInspectResponse);
    }

    /// <summary>Decodes <c>X-Registry-Auth</c> (base64url JSON, padded or not); anything unreadable means anonymous, as Docker does.</summary>
    internal static RegistryAuth? RegistryAuthOf(HttpContext context)
    {
        var header = context.Request.Headers["X-Registry-Auth"].ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        try
        {
            var s = header.Trim().Replace('-', '+').Replace('_', '/');
            s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
            var config = JsonSerializer.Deserialize(Convert.FromBase64String(s), DistributionJsonContext.Wire.AuthConfig);
            return config is null ? null : ToAuth(config);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private static RegistryAuth ToAuth(AuthConfig c)
    {
        var user = c.Username;
        var password = c.Password;
        if (string.IsNullOrEmpty(user) && !string.IsNullOrEmpty(c.Auth))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(c.Auth));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    user = pair[..colon];
                    password = pair[(colon + 1)..];
                }
            }
            catch (FormatException)
            {
                // An unreadable auth field is ignored, as Docker does.
            }
        }

        return new RegistryAuth { Username = user, Password = password, ServerAddress = c.ServerAddress, IdentityToken = c.IdentityToken, RegistryToken = c.RegistryToken };
    }
}
