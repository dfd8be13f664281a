namespace Wharf.Build.Parsing;

/// <summary>A build stage: its FROM and the instructions up to the next FROM.</summary>
public sealed record Stage
{
    public required int Index { get; init; }

    /// <summary>The <c>AS</c> name in lower case, or null.</summary>
    public string? Name { get; init; }

    /// <summary>The base as written (may hold ARG references).</summary>
    public required string BaseName { get; init; }

    public string? Platform { get; init; }

    public required Instruction From { get; init; }

    public required IReadOnlyList<Instruction> Instructions { get; init; }
}
