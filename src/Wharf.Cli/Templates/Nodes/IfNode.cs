namespace Wharf.Cli.Templates.Nodes;

internal sealed class IfNode(int pos, PipeNode pipe, ListNode list, ListNode? elseList)
    : BranchNode(pos, "if", pipe, list, elseList);
