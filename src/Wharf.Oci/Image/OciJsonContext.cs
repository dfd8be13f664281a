using System.Text.Json.Serialization;

namespace Wharf.Oci.Image;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageLayout))]
[JsonSerializable(typeof(List<DockerArchiveManifestEntry>))]
public sealed partial class OciJsonContext : JsonSerializerContext;
