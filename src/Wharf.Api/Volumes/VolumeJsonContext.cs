using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wharf.Api.Volumes;

/// <summary>Source-generated serialization for the volume wire types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Volume))]
[JsonSerializable(typeof(VolumeListResponse))]
[JsonSerializable(typeof(VolumeCreateRequest))]
[JsonSerializable(typeof(VolumesPruneResponse))]
public sealed partial class VolumeJsonContext : JsonSerializerContext
{
    /// <summary>The context used on the wire: like Go's encoder it leaves '+' and non-ASCII text unescaped.</summary>
    public static VolumeJsonContext Wire { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
