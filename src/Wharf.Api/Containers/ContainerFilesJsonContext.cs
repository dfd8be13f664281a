using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wharf.Oci.Image;

namespace Wharf.Api.Containers;

/// <summary>Source-generated serialization for the container file endpoints (archive, commit).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PathStat))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(ContainerConfig))]
public sealed partial class ContainerFilesJsonContext : JsonSerializerContext
{
    /// <summary>Like Go's encoder: '+', '&lt;' and non-ASCII text are written as they are.</summary>
    public static ContainerFilesJsonContext Wire { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
