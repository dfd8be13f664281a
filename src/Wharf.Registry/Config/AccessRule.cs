using System.Text.Json.Serialization;

namespace Wharf.Registry.Config;

/// <summary>
/// Grants <see cref="Actions"/> ("pull", "push", "delete", "*") on repositories matching
/// <see cref="Repository"/> (exact, or a prefix ending in "*") to <see cref="Account"/>
/// ("*" for every authenticated account, "anonymous" for requests without credentials).
/// </summary>
public sealed class AccessRule
{
    [JsonPropertyName("account")]
    public string Account { get; set; } = "*";

    [JsonPropertyName("repository")]
    public string Repository { get; set; } = "*";

    [JsonPropertyName("actions")]
    public List<string> Actions { get; set; } = [];
}
