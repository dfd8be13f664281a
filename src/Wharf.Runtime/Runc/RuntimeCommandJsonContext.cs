using System.Text.Json.Serialization;

namespace Wharf.Runtime.Runc;

/// <summary><c>runtime.json</c> of a container (<see cref="RuntimeCommand"/>).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(RuntimeCommand))]
internal sealed partial class RuntimeCommandJsonContext : JsonSerializerContext;
