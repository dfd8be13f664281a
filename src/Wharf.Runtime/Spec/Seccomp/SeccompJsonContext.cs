using System.Text.Json.Serialization;

using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec.Seccomp;

[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(SeccompProfile))]
internal sealed partial class SeccompJsonContext : JsonSerializerContext;
