namespace Wharf.Cli.Cli;

/// <summary>What a command accepts and how its help reads.</summary>
/// <param name="Use">The usage after the command path, e.g. "[OPTIONS] IMAGE [IMAGE...]".</param>
/// <param name="Aliases">The paths docker lists under "Aliases:", without the program name, e.g. ["image ls", "images"].</param>
internal sealed record CommandSpec(string Use, string Short, IReadOnlyList<FlagSpec> Flags, ArgsRule Args, IReadOnlyList<string>? Aliases = null, bool StopAtFirstArg = false);
