namespace Wharf.Build.Parsing;

/// <summary>A <c>--name=value</c> (or bare <c>--name</c>) flag written before an instruction's arguments.</summary>
public sealed record BuildFlag(string Name, string? Value);
