using Wharf.Core.Containers.Spec;
using Wharf.Oci.Runtime;
using Wharf.Runtime.Spec;

namespace Wharf.Runtime.Tests;

/// <summary>Shared request and host fixtures for the spec tests.</summary>
internal static class Specs
{
    public const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static HostFacts Host { get; } = new()
    {
        Architecture = "amd64",
        KernelVersion = new Version(6, 18),
        CapLastCap = 40,
        HardRlimits = new Dictionary<string, ulong> { ["RLIMIT_NOFILE"] = 20000 },
        AvailableSysctls = new HashSet<string> { "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start" },
    };

    public static ContainerSpecRequest Request(Func<ContainerSpecRequest, ContainerSpecRequest>? edit = null)
    {
        var r = new ContainerSpecRequest
        {
            Id = Id,
            RootfsPath = "/var/lib/wharf/rootfs",
            Image = new ImageRunDefaults { Cmd = ["sh"], Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] },
        };
        return edit is null ? r : edit(r);
    }

    public static RuntimeSpec Build(ContainerSpecRequest request, IRootfsUserFiles? files = null, HostFacts? host = null) =>
        new RuntimeSpecBuilder(files ?? FakeUserFiles.Standard, host ?? Host).Build(request);

    public static RuntimeSpec Build(Func<ContainerSpecRequest, ContainerSpecRequest>? edit = null) => Build(Request(edit));
}
