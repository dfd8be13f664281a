namespace Wharf.Cli.Cli;

/// <summary>A management command (image, system) and its subcommands; Names maps every name and alias.</summary>
internal sealed record CommandGroup(string Name, string Description, IReadOnlyList<(string Name, string[] Aliases, ICommand Command)> Commands);
