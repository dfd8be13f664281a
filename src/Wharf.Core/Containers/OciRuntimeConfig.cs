namespace Wharf.Core.Containers;

/// <summary>
/// One OCI runtime the daemon may run containers with (dockerd's <c>runtimes</c> entry in
/// daemon.json or <c>--add-runtime NAME=PATH</c>): the binary and the global options placed
/// before every command. <c>runc</c> is always there; a container picks one with
/// HostConfig.Runtime (<c>docker run --runtime NAME</c>), else the daemon's default.
/// </summary>
public sealed record OciRuntimeConfig
{
    /// <summary>The name containers use (HostConfig.Runtime).</summary>
    public required string Name { get; init; }

    /// <summary>The binary: an absolute path, or a name looked up on PATH when the daemon starts.</summary>
    public required string Path { get; init; }

    /// <summary>daemon.json's <c>runtimeArgs</c>: global options before the command.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];
}
