using Wharf.Core.Containers;
using Wharf.Core.Containers.Stats;
using Wharf.Core.Errors;
using Wharf.Engine.Containers;

namespace Wharf.Engine.Tests.Resources;

/// <summary>dockerd 20.10's real-time checks (runconfig validateResources), shared by create and update.</summary>
public sealed class RealtimeValidationTests
{
    [Theory]
    [InlineData(1000, 2000, true, "cpu real-time runtime cannot be higher than cpu real-time period")]
    [InlineData(1000, 0, false, "Your kernel does not support CPU real-time scheduler")]
    [InlineData(0, 5000, false, "Your kernel does not support CPU real-time scheduler")]
    public void BadSettingsAreInvalidWithDockersMessage(long period, long runtime, bool host, string message)
    {
        var e = Assert.Throws<WharfException>(() => UpdateValidation.ValidateRealtime(period, runtime, host));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(1000000, 950000, true)]
    [InlineData(0, 20000, true)]
    public void GoodSettingsPass(long period, long runtime, bool host) => UpdateValidation.ValidateRealtime(period, runtime, host);

    [Fact]
    public void AnUpdateKeepsTheRealtimeValuesInsteadOfRefusingThem()
    {
        var (u, warnings) = UpdateValidation.Validate(new ContainerUpdate { CpuRealtimePeriod = 1000000, CpuRealtimeRuntime = 50000 }, new CgroupHostInfo { CpuRealtime = true, NumCpus = 2 });
        Assert.Empty(warnings);
        Assert.Equal((1000000L, 50000L), (u.CpuRealtimePeriod, u.CpuRealtimeRuntime));
        var live = UpdateMerge.Live(u);
        Assert.Equal((1000000UL, 50000L), (live.CpuRealtimePeriod!.Value, live.CpuRealtimeRuntime!.Value));
    }
}
