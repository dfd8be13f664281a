using System.Text.Json.Serialization;

namespace Wharf.Runtime.Spec;

/// <summary>An exec's <c>process.json</c> for <c>runc exec --process</c>.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(Oci.Runtime.Process))]
internal sealed partial class ExecJsonContext : JsonSerializerContext;
