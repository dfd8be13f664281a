using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wharf.Api.Exec;

namespace Wharf.Api.Containers;

/// <summary>Source-generated serialization for the container and exec wire types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ContainerCreateRequest))]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(ContainerTopResponse))]
[JsonSerializable(typeof(List<ContainerChange>))]
[JsonSerializable(typeof(ContainersPruneResponse))]
[JsonSerializable(typeof(ContainerUpdateRequest))]
[JsonSerializable(typeof(ContainerUpdateResponse))]
[JsonSerializable(typeof(ContainerStats))]
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecCreateResponse))]
[JsonSerializable(typeof(ExecInspect))]
[JsonSerializable(typeof(ExecStartRequest))]
public sealed partial class ContainerJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context used on the wire: like Go's encoder it leaves '+' and non-ASCII text as they
    /// are instead of writing \u escapes (commands, labels and env values often hold them).
    /// </summary>
    public static ContainerJsonContext Wire { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
