using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wharf.Api.Distribution;

/// <summary>Source-generated serialization for the registry endpoints (auth, search, distribution).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(AuthConfig))]
[JsonSerializable(typeof(AuthResponse))]
[JsonSerializable(typeof(List<ImageSearchResult>))]
[JsonSerializable(typeof(DistributionInspectResponse))]
public sealed partial class DistributionJsonContext : JsonSerializerContext
{
    /// <summary>Like Go's encoder: '+', '&lt;' and non-ASCII text are written as they are.</summary>
    public static DistributionJsonContext Wire { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
