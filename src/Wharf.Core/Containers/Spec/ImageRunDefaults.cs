namespace Wharf.Core.Containers.Spec;

/// <summary>The parts of an image config that a container inherits unless it overrides them.</summary>
public sealed record ImageRunDefaults
{
    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string>? Env { get; init; }

    public string WorkingDir { get; init; } = "";

    public string User { get; init; } = "";
}
