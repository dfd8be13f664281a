using System.Text.Json.Serialization;
using Wharf.Registry.Config;

namespace Wharf.Registry.Wire;

[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(Catalog))]
[JsonSerializable(typeof(ReferrersIndex))]
[JsonSerializable(typeof(SearchResults))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(TokenClaims))]
[JsonSerializable(typeof(JwtHeader))]
[JsonSerializable(typeof(RegistryConfig))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
