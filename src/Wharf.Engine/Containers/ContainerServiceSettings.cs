using Wharf.Core.Containers;

namespace Wharf.Engine.Containers;

/// <summary>Where containers live and the daemon-wide defaults that apply to them.</summary>
public sealed record ContainerServiceSettings
{
    /// <summary>Persistent container directories (config, log, hosts files): <c>&lt;data-root&gt;/containers</c>.</summary>
    public required string Root { get; init; }

    /// <summary>json-file rotation defaults (on by default, unlike Docker).</summary>
    public long LogMaxSize { get; init; } = 10 * 1024 * 1024;

    public int LogMaxFiles { get; init; } = 3;

    /// <summary>
    /// tini, bind-mounted as /sbin/docker-init for <c>--init</c>. The static build, because the
    /// dynamic one needs a libc the image may not have.
    /// </summary>
    public string InitPath { get; init; } = File.Exists("/usr/bin/tini-static") ? "/usr/bin/tini-static" : "/usr/bin/tini";

    /// <summary>cgroup parent for containers: <c>/wharf/&lt;id&gt;</c> (Docker uses /docker).</summary>
    public string CgroupParent { get; init; } = "/wharf";

    /// <summary>The OCI runtimes containers may name (HostConfig.Runtime), by name; runc is always one.</summary>
    public IReadOnlyDictionary<string, OciRuntimeConfig> Runtimes { get; init; } = new Dictionary<string, OciRuntimeConfig>
    {
        ["runc"] = new OciRuntimeConfig { Name = "runc", Path = "runc" },
    };

    /// <summary>The runtime of containers that name none (dockerd's <c>default-runtime</c>).</summary>
    public string DefaultRuntime { get; init; } = "runc";

    /// <summary>Whether the host has the v1 cpu controller's real-time files (Docker's sysinfo.CPURealtime).</summary>
    public bool CpuRealtime { get; init; }
}
