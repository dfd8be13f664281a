namespace Wharf.Core.Containers.Files;

/// <summary>One entry of a container's changes against its image; <see cref="Path"/> is absolute ("/etc/hosts").</summary>
public sealed record FileChange(string Path, FileChangeKind Kind);
