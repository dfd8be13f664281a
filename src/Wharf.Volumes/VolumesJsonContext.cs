using System.Text.Json.Serialization;

namespace Wharf.Volumes;

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(VolumeMetadata))]
internal sealed partial class VolumesJsonContext : JsonSerializerContext;
