using System.Text.Json;
using System.Text.Json.Serialization;

namespace Wharf.Runtime.Runc;

/// <summary>
/// The OCI runtime one container runs under, fixed at create and kept in <c>ContainersRoot/ID/runtime.json</c>,
/// so every later command (start, kill, pause, update, exec, delete) uses the same binary, global
/// options and state root, also after a daemon restart with another configuration.
/// </summary>
internal sealed record RuntimeCommand
{
    /// <summary>How a created container is started without a runtime process (see <see cref="ShimRuntime"/>'s start).</summary>
    public const string FifoRead = "read";

    public const string FifoWrite = "write";

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("path")]
    public required string Path { get; init; }

    [JsonPropertyName("args")]
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>The runtime's <c>--root</c>: its own per runtime, so two runtimes never share a state dir.</summary>
    [JsonPropertyName("root")]
    public required string Root { get; init; }

    /// <summary>
    /// <see cref="FifoRead"/> for runc (init blocks opening <c>ROOT/ID/exec.fifo</c> for writing),
    /// <see cref="FifoWrite"/> for crun (init blocks reading it), empty to run the runtime's <c>start</c>.
    /// </summary>
    [JsonPropertyName("fifoStart")]
    public string FifoStart { get; init; } = "";

    /// <summary>Every invocation goes through wharf-shim's legacy cgroup view (crun on a hybrid cgroup host).</summary>
    [JsonPropertyName("cgroupV1View")]
    public bool CgroupV1View { get; init; }

    /// <summary>The program and arguments that run <paramref name="args"/> with this runtime.</summary>
    public (string File, List<string> Argv) Invocation(string shimPath, IEnumerable<string> args)
    {
        var argv = new List<string>();
        if (CgroupV1View)
        {
            argv.AddRange(["--cgroup-v1-view-exec", Path]);
        }
        argv.AddRange(["--root", Root, "--log-format", "json", .. Args, .. args]);
        return (CgroupV1View ? shimPath : Path, argv);
    }

    /// <summary>The runtime options of wharf-shim (create and exec monitors).</summary>
    public IEnumerable<string> ShimOptions()
    {
        yield return "--runtime";
        yield return Path;
        yield return "--runtime-root";
        yield return Root;
        foreach (var a in Args)
        {
            yield return "--runtime-arg";
            yield return a;
        }
        if (CgroupV1View)
        {
            yield return "--runtime-cgroup-v1-view";
        }
    }

    public static RuntimeCommand? Read(string file)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(file), RuntimeCommandJsonContext.Default.RuntimeCommand);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Write(string file) =>
        File.WriteAllBytes(file, JsonSerializer.SerializeToUtf8Bytes(this, RuntimeCommandJsonContext.Default.RuntimeCommand));

    /// <summary>
    /// Whether this host has crun's blocker: a hybrid layout (cgroup v1 hierarchies under a tmpfs
    /// /sys/fs/cgroup) whose cgroup2 mount at /sys/fs/cgroup/unified has controllers.
    /// </summary>
    public static bool HostNeedsCgroupV1View()
    {
        try
        {
            return !File.Exists("/sys/fs/cgroup/cgroup.controllers")
                && File.ReadAllText("/sys/fs/cgroup/unified/cgroup.controllers").Trim().Length > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
