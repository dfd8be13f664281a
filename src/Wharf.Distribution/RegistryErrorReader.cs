using System.Net;
using System.Text.Json;
using Wharf.Distribution.Wire;

namespace Wharf.Distribution;

/// <summary>Reads a registry's error answer into a <see cref="RegistryException"/>.</summary>
internal static class RegistryErrorReader
{
    public static async Task<RegistryException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            body = [];
        }

        if (body.Length > 0 && body.Length < 1 << 20)
        {
            try
            {
                var errors = JsonSerializer.Deserialize(body, DistributionWireContext.Default.RegistryErrors);
                if (errors?.Errors is [var first, ..])
                {
                    return new RegistryException(response.StatusCode, first.Code, first.Message ?? first.Code ?? "");
                }
            }
            catch (JsonException)
            {
                // Not the spec's shape: fall through to the status.
            }
        }

        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new RegistryException(response.StatusCode, "UNAUTHORIZED", "authentication required"),
            HttpStatusCode.Forbidden => new RegistryException(response.StatusCode, "DENIED", "requested access to the resource is denied"),
            HttpStatusCode.NotFound => new RegistryException(response.StatusCode, "NOT_FOUND", "not found"),
            _ => new RegistryException(response.StatusCode, null, $"received unexpected HTTP status: {(int)response.StatusCode} {response.ReasonPhrase}"),
        };
    }
}
