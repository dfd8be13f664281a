using System.Text.Json.Nodes;
using Wharf.Core.Containers;
using Wharf.Engine.Containers;
using Wharf.Oci.Image;

namespace Wharf.Engine.Tests;

public sealed class CreateDefaultsTests
{
    private static ContainerCreateSpec Spec(long memory, long swap) => new()
    {
        Config = new ContainerConfig { Image = "busybox" },
        Host = new ContainerHostSettings { Memory = memory, MemorySwap = swap },
        HostConfigJson = $$"""{"Memory":{{memory}},"MemorySwap":{{swap}},"PidsLimit":50}""",
    };

    [Fact]
    public void OnlyAMemoryLimitGivesTwiceItAsMemoryPlusSwapInSettingsAndStoredJson()
    {
        var spec = CreateDefaults.Apply(Spec(67108864, 0));

        Assert.Equal(134217728, spec.Host.MemorySwap);
        var json = JsonNode.Parse(spec.HostConfigJson)!;
        Assert.Equal(134217728, json["MemorySwap"]!.GetValue<long>());
        Assert.Equal(67108864, json["Memory"]!.GetValue<long>());
        Assert.Equal(50, json["PidsLimit"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(67108864, -1)]
    [InlineData(67108864, 100663296)]
    public void AnExplicitSwapOrNoMemoryLimitIsLeftAsSent(long memory, long swap)
    {
        var before = Spec(memory, swap);
        var after = CreateDefaults.Apply(before);

        Assert.Same(before, after);
    }
}
