namespace Wharf.Cli.Templates.Nodes;

internal sealed class BreakNode(int pos) : Node(pos)
{
    public override string ToString() => "{{break}}";
}
