namespace Wharf.Build.Parsing;

/// <summary>A parsed Dockerfile: parser directives, the ARGs before the first FROM, the stages.</summary>
public sealed record Dockerfile
{
    /// <summary>Parser directives in lower case (<c>syntax</c>, <c>escape</c>, <c>check</c>).</summary>
    public required IReadOnlyDictionary<string, string> Directives { get; init; }

    public char EscapeToken { get; init; } = '\\';

    public required IReadOnlyList<Instruction> MetaArgs { get; init; }

    public required IReadOnlyList<Stage> Stages { get; init; }

    /// <summary>Every instruction in order (what Docker counts for "Step n/m").</summary>
    public required IReadOnlyList<Instruction> Instructions { get; init; }

    /// <summary>Finds a stage by name (case-insensitive) or index; null when none matches.</summary>
    public Stage? FindStage(string nameOrIndex)
    {
        var byName = Stages.FirstOrDefault(s => string.Equals(s.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase));
        if (byName is not null)
        {
            return byName;
        }

        return int.TryParse(nameOrIndex, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < Stages.Count ? Stages[i] : null;
    }
}
