namespace Wharf.Cli.Cli;

/// <summary>A parsed command line for one command: the path it was invoked by, its flags and arguments.</summary>
internal sealed record Invocation(string Path, ParsedFlags Flags, IReadOnlyList<string> Args);
