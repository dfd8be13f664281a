using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Core.Containers;

/// <summary>
/// A container as the engine keeps it. <see cref="HostConfigJson"/> holds the HostConfig exactly as
/// the client sent it (normalised by the API edge), so inspect returns every field Docker clients
/// set; <see cref="Host"/> is the part of it the engine acts on.
/// </summary>
public sealed record ContainerRecord
{
    public required string Id { get; init; }

    /// <summary>Name without the leading '/'.</summary>
    public required string Name { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required Digest ImageId { get; init; }

    /// <summary>The container's Config; <c>Image</c> holds the name the client gave.</summary>
    public required ContainerConfig Config { get; init; }

    public required ContainerHostSettings Host { get; init; }

    public string HostConfigJson { get; init; } = "{}";

    public ContainerState State { get; init; } = new();

    public int RestartCount { get; init; }

    /// <summary>Set when the user stopped the container (restart policies then leave it alone).</summary>
    public bool StoppedByUser { get; init; }

    public string Driver { get; init; } = "";

    public string Path { get; init; } = "";

    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Binds, volumes and tmpfs mounts resolved at create (Docker's MountPoints), by destination.</summary>
    public IReadOnlyList<Mounts.ContainerMountPoint> MountPoints { get; init; } = [];

    /// <summary>The networks the container belongs to, by network name (Docker's NetworkSettings.Networks).</summary>
    public IReadOnlyDictionary<string, Networks.ContainerEndpoint> Networks { get; init; } = new Dictionary<string, Networks.ContainerEndpoint>();

    /// <summary>The network namespace the engine made for the container while it runs ("" otherwise).</summary>
    public string NetworkSandbox { get; init; } = "";

    /// <summary>Ports published while the container runs (empty otherwise).</summary>
    public IReadOnlyList<Networks.PublishedPort> Ports { get; init; } = [];
}
