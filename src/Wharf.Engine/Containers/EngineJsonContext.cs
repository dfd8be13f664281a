using System.Text.Json.Serialization;
using Wharf.Core.Containers;

namespace Wharf.Engine.Containers;

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ContainerRecord))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
