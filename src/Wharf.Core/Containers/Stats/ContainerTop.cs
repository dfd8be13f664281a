namespace Wharf.Core.Containers.Stats;

/// <summary><c>ps</c> output of a container's processes: the header's titles and one row per process.</summary>
public sealed record ContainerTop(IReadOnlyList<string> Titles, IReadOnlyList<IReadOnlyList<string>> Processes);
