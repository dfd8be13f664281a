using System.Text;
using Wharf.Cli.Templates.Nodes;

namespace Wharf.Cli.Templates;

/// <summary>A parsed Go text/template with docker's function set.</summary>
internal sealed class GoTemplate
{
    private readonly string _source;
    private readonly ListNode _root;

    private GoTemplate(string source, ListNode root)
    {
        _source = source;
        _root = root;
    }

    /// <exception cref="TemplateException">With Go's message, e.g. <c>template: :1: unclosed action</c>.</exception>
    public static GoTemplate Parse(string text) =>
        new(text, Parser.Parse(text, DockerFunctions.All.ContainsKey));

    public string Execute(object? data) => Execute(data, DockerFunctions.All);

    /// <summary>Executes with another function set (docker renders table headers with identity functions).</summary>
    public string Execute(object? data, IReadOnlyDictionary<string, TemplateFunction> funcs)
    {
        var sb = new StringBuilder();
        ExecuteInto(sb, data, funcs);
        return sb.ToString();
    }

    /// <summary>Writes into <paramref name="sb"/>; on error, what was written before the error stays, as in Go.</summary>
    public void ExecuteInto(StringBuilder sb, object? data, IReadOnlyDictionary<string, TemplateFunction> funcs) =>
        new Executor(_source, funcs, sb).Execute(_root, data);
}
