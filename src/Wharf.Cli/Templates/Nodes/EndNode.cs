namespace Wharf.Cli.Templates.Nodes;

/// <summary>Parser-internal marker for {{end}}.</summary>
internal sealed class EndNode(int pos) : Node(pos)
{
    public override string ToString() => "{{end}}";
}
