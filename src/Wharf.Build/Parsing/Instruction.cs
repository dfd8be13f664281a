namespace Wharf.Build.Parsing;

/// <summary>
/// One Dockerfile instruction as written, before variable substitution (that needs the build
/// state, so it happens when the instruction runs).
/// </summary>
public sealed record Instruction
{
    /// <summary>The keyword in lower case (<c>run</c>, <c>copy</c>, ...).</summary>
    public required string Keyword { get; init; }

    /// <summary>1-based line of the keyword.</summary>
    public required int Line { get; init; }

    /// <summary>The logical line with continuations joined, as Docker prints it in "Step n/m".</summary>
    public required string Original { get; init; }

    public IReadOnlyList<BuildFlag> Flags { get; init; } = [];

    /// <summary>
    /// The arguments: the JSON array's items, a shell-form command as one string (RUN, CMD,
    /// ENTRYPOINT, HEALTHCHECK CMD), whitespace-separated words (COPY, ADD, VOLUME, EXPOSE, ARG,
    /// FROM), or alternating keys and values (ENV, LABEL) still holding their quotes.
    /// </summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Whether the arguments were written as a JSON array (exec form).</summary>
    public bool IsJson { get; init; }

    public IReadOnlyList<Heredoc> Heredocs { get; init; } = [];

    /// <summary>The trigger of an ONBUILD.</summary>
    public Instruction? Inner { get; init; }

    /// <summary>The last value of a flag, or null when absent.</summary>
    public string? Flag(string name) => Flags.LastOrDefault(f => f.Name == name)?.Value;

    public bool HasFlag(string name) => Flags.Any(f => f.Name == name);

    /// <summary>Every value of a repeatable flag (<c>--mount</c>, <c>--exclude</c>).</summary>
    public IReadOnlyList<string> FlagValues(string name) => [.. Flags.Where(f => f.Name == name && f.Value is not null).Select(f => f.Value!)];
}
