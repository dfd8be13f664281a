namespace Wharf.Cli.Templates.Nodes;

internal sealed class FieldNode(int pos, IReadOnlyList<string> idents) : Node(pos)
{
    public IReadOnlyList<string> Idents { get; } = idents;

    public override string ToString() => string.Concat(Idents.Select(i => "." + i));
}
