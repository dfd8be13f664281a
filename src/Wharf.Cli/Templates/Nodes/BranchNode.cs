namespace Wharf.Cli.Templates.Nodes;

/// <summary>The shared shape of if, range and with.</summary>
internal abstract class BranchNode(int pos, string keyword, PipeNode pipe, ListNode list, ListNode? elseList) : Node(pos)
{
    public PipeNode Pipe { get; } = pipe;

    public ListNode List { get; } = list;

    public ListNode? ElseList { get; } = elseList;

    public override string ToString() =>
        "{{" + keyword + " " + Pipe + "}}" + List + (ElseList is null ? "" : "{{else}}" + ElseList) + "{{end}}";
}
