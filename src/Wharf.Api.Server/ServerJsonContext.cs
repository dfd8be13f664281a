using System.Text.Json.Serialization;

namespace Wharf.Api.Server;

[JsonSerializable(typeof(Dictionary<string, string[]>))]
internal sealed partial class ServerJsonContext : JsonSerializerContext;
