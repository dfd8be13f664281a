namespace Wharf.Cli.Templates.Nodes;

/// <summary>A numeric constant; <see cref="Value"/> is a long for integers and a double otherwise.</summary>
internal sealed class NumberNode(int pos, string text, object value) : Node(pos)
{
    public string Text { get; } = text;

    public object Value { get; } = value;

    public override string ToString() => Text;
}
