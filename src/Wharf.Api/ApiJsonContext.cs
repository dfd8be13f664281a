using System.Text.Json.Serialization;
using Wharf.Api.Common;
using Wharf.Api.Events;
using Wharf.Api.Images;
using Wharf.Api.System;

namespace Wharf.Api;

/// <summary>Source-generated serialization for every Docker Engine API wire type.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(JsonMessage))]
[JsonSerializable(typeof(SystemVersion))]
[JsonSerializable(typeof(SystemInfo))]
[JsonSerializable(typeof(DiskUsage))]
[JsonSerializable(typeof(List<ImageSummary>))]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(List<HistoryResponseItem>))]
[JsonSerializable(typeof(List<ImageDeleteResponseItem>))]
[JsonSerializable(typeof(ImagesPruneResponse))]
[JsonSerializable(typeof(EventMessage))]
[JsonSerializable(typeof(Wharf.Api.Build.BuildMessage))]
[JsonSerializable(typeof(Wharf.Api.Build.BuildCachePruneResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
