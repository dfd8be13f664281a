using System.Text.Json.Serialization;

namespace Wharf.Api.System;

public sealed record PlatformName
{
    [JsonPropertyName("Name")]
    public string Name { get; init; } = "";
}
