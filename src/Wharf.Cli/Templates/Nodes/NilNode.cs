namespace Wharf.Cli.Templates.Nodes;

internal sealed class NilNode(int pos) : Node(pos)
{
    public override string ToString() => "nil";
}
