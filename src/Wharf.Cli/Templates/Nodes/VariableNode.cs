namespace Wharf.Cli.Templates.Nodes;

/// <summary>A variable, possibly with fields: Idents[0] is the name including '$'.</summary>
internal sealed class VariableNode(int pos, IReadOnlyList<string> idents) : Node(pos)
{
    public IReadOnlyList<string> Idents { get; } = idents;

    public override string ToString() => string.Join(".", Idents);
}
