using System.Text.Json.Serialization;

namespace Wharf.Images;

[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(ImageMeta))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ChangesJsonContext : JsonSerializerContext;
