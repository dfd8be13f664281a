namespace Wharf.Cli.Templates.Nodes;

internal sealed class RangeNode(int pos, PipeNode pipe, ListNode list, ListNode? elseList)
    : BranchNode(pos, "range", pipe, list, elseList);
