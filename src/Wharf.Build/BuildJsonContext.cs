using System.Text.Json.Serialization;
using Wharf.Core.Build;

namespace Wharf.Build;

[JsonSerializable(typeof(BuildCacheRecord))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
internal sealed partial class BuildJsonContext : JsonSerializerContext;
