using System.Text.Json.Serialization;

namespace Wharf.Registry.Storage.S3;

[JsonSerializable(typeof(S3UploadState))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
