namespace Wharf.Cli.Templates.Nodes;

/// <summary>A node of the parse tree; <see cref="object.ToString"/> gives Go's source form, used in error messages.</summary>
internal abstract class Node(int pos)
{
    public int Pos { get; } = pos;
}
