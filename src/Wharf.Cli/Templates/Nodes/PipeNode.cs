namespace Wharf.Cli.Templates.Nodes;

internal sealed class PipeNode(int pos) : Node(pos)
{
    public bool IsAssign { get; set; }

    public List<VariableNode> Decl { get; } = [];

    public List<CommandNode> Cmds { get; } = [];

    public override string ToString()
    {
        string s = "";
        if (Decl.Count > 0)
        {
            s = string.Join(", ", Decl) + (IsAssign ? " = " : " := ");
        }
        return s + string.Join(" | ", Cmds);
    }
}
