using System.Text.Json.Nodes;
using Wharf.Core.Containers;

namespace Wharf.Engine.Containers;

/// <summary>
/// The HostConfig values dockerd fills in at create time and then shows in inspect as if the
/// client had sent them (its <c>adaptContainerSettings</c>).
/// </summary>
internal static class CreateDefaults
{
    /// <summary>
    /// Only a memory limit given: memory+swap becomes twice the limit, in the settings the engine
    /// uses and in the stored HostConfig, so inspect and a later update agree with dockerd.
    /// </summary>
    public static ContainerCreateSpec Apply(ContainerCreateSpec spec)
    {
        if (spec.Host.Memory <= 0 || spec.Host.MemorySwap != 0)
        {
            return spec;
        }

        var swap = spec.Host.Memory * 2;
        var json = (JsonNode.Parse(string.IsNullOrWhiteSpace(spec.HostConfigJson) ? "{}" : spec.HostConfigJson) as JsonObject) ?? [];
        json["MemorySwap"] = swap;
        return spec with { Host = spec.Host with { MemorySwap = swap }, HostConfigJson = json.ToJsonString() };
    }
}
