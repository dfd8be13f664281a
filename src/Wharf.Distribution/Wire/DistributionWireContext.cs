using System.Text.Json.Serialization;

namespace Wharf.Distribution.Wire;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(RegistryErrors))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(List<LayerSource>))]
internal sealed partial class DistributionWireContext : JsonSerializerContext;
