namespace Wharf.Cli.Templates.Nodes;

internal sealed class WithNode(int pos, PipeNode pipe, ListNode list, ListNode? elseList)
    : BranchNode(pos, "with", pipe, list, elseList);
