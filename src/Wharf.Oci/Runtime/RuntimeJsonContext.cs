using System.Text.Json.Serialization;

namespace Wharf.Oci.Runtime;

/// <summary>Source-generated (de)serialization of the runtime spec; indented like Docker's bundle config.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(RuntimeSpec))]
public sealed partial class RuntimeJsonContext : JsonSerializerContext;
