namespace Wharf.Core.Distribution;

/// <summary>One row of a registry search (Docker Hub's <c>/v1/search</c> shape).</summary>
public sealed record SearchResult(string Name, string Description, int StarCount, bool IsOfficial, bool IsAutomated);
