namespace Wharf.Cli.Templates;

/// <summary>A function callable from a template. <paramref name="MaxArgs"/> is -1 for variadic functions.</summary>
internal sealed record TemplateFunction(string Name, int MinArgs, int MaxArgs, Func<object?[], object?> Invoke);
