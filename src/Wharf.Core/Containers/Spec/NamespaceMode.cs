namespace Wharf.Core.Containers.Spec;

/// <summary>
/// How a container gets one namespace: a new one, the host's (no namespace entry at all), or
/// another container's by path (<c>/proc/&lt;pid&gt;/ns/&lt;type&gt;</c>, resolved by the caller).
/// </summary>
public sealed record NamespaceMode
{
    private NamespaceMode(NamespaceModeKind kind, string? path)
    {
        Kind = kind;
        Path = path;
    }

    public NamespaceModeKind Kind { get; }

    public string? Path { get; }

    public static NamespaceMode Private { get; } = new(NamespaceModeKind.Private, null);

    public static NamespaceMode Host { get; } = new(NamespaceModeKind.Host, null);

    /// <summary>IPC <c>none</c>: a new namespace without /dev/shm.</summary>
    public static NamespaceMode None { get; } = new(NamespaceModeKind.None, null);

    public static NamespaceMode Join(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(NamespaceModeKind.Join, path);
    }

    /// <summary>
    /// A namespace the engine made for this container (its network sandbox, set up before the
    /// runtime runs): joined by path, but the container's own, so its per-namespace defaults apply.
    /// </summary>
    public static NamespaceMode Prepared(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new(NamespaceModeKind.Prepared, path);
    }
}
