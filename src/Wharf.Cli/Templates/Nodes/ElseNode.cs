namespace Wharf.Cli.Templates.Nodes;

/// <summary>Parser-internal marker for {{else}}.</summary>
internal sealed class ElseNode(int pos) : Node(pos)
{
    public override string ToString() => "{{else}}";
}
