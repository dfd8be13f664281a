namespace Wharf.Cli.Templates.Nodes;

/// <summary>A term followed by field accesses, e.g. <c>(index .X 0).Name</c>.</summary>
internal sealed class ChainNode(int pos, Node node, IReadOnlyList<string> fields) : Node(pos)
{
    public Node Node { get; } = node;

    public IReadOnlyList<string> Fields { get; } = fields;

    public override string ToString() =>
        (Node is PipeNode ? "(" + Node + ")" : Node.ToString()) + string.Concat(Fields.Select(f => "." + f));
}
