namespace Wharf.Core.Containers.Spec;

/// <summary>A <c>--ulimit name=soft:hard</c>; the name is Docker's short form (<c>nofile</c>, <c>nproc</c>, ...).</summary>
public sealed record Ulimit(string Name, long Soft, long Hard);
