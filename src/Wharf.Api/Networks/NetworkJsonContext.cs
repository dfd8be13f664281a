using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wharf.Api.Networks;

/// <summary>Source-generated serialization for the network wire types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Network))]
[JsonSerializable(typeof(IReadOnlyList<Network>))]
[JsonSerializable(typeof(NetworkCreateRequest))]
[JsonSerializable(typeof(NetworkCreateResponse))]
[JsonSerializable(typeof(NetworkConnectRequest))]
[JsonSerializable(typeof(NetworksPruneResponse))]
public sealed partial class NetworkJsonContext : JsonSerializerContext
{
    /// <summary>The context used on the wire: like Go's encoder it leaves '+' and non-ASCII text unescaped.</summary>
    public static NetworkJsonContext Wire { get; } = new(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
