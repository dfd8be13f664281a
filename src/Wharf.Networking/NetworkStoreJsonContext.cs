using System.Text.Json.Serialization;
using Wharf.Core.Networks;

namespace Wharf.Networking;

/// <summary>Serialization of stored network records.</summary>
[JsonSerializable(typeof(NetworkRecord))]
internal sealed partial class NetworkStoreJsonContext : JsonSerializerContext;
