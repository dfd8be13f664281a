namespace Wharf.Cli.Templates.Nodes;

internal sealed class DotNode(int pos) : Node(pos)
{
    public override string ToString() => ".";
}
