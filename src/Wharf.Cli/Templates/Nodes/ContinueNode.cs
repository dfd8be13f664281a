namespace Wharf.Cli.Templates.Nodes;

internal sealed class ContinueNode(int pos) : Node(pos)
{
    public override string ToString() => "{{continue}}";
}
