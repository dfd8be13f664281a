using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;

namespace Wharf.Cli.Commands;

/// <summary>
/// What every inspect command prints, as the docker CLI does: the objects found as one indented
/// JSON array (compact with <c>--format json</c>), or each through the <c>--format</c> template;
/// the errors of the names not found after the output, as the command's error.
/// </summary>
internal sealed class InspectPrinter
{
    private readonly string _format;
    private readonly GoTemplate? _template;
    private readonly List<string> _raw = [];
    private readonly List<string> _errors = [];
    private readonly StringBuilder _output = new();

    /// <summary>Parses the template at once, so a bad one fails before any request.</summary>
    public InspectPrinter(string? format)
    {
        _format = format ?? "";
        _template = _format.Length == 0 || OutputFormat.IsJson(_format) ? null : OutputFormat.ParseTemplate(_format);
    }

    /// <summary>One object, as the daemon's JSON text.</summary>
    public void Add(string json)
    {
        if (_template is null)
        {
            _raw.Add(json.Trim());
        }
        else
        {
            _output.Append(OutputFormat.RenderOne(_template, JsonNode.Parse(json)));
        }
    }

    public void AddError(string message) => _errors.Add(message);

    /// <summary>Writes what was collected; throws the errors (exit 1) after the output when there were any.</summary>
    public async Task<int> FinishAsync(CommandContext context)
    {
        if (_template is null)
        {
            string array = "[" + string.Join(",", _raw) + "]";
            _output.Append(_raw.Count == 0 ? "[]" : OutputFormat.IsJson(_format) ? array : JsonIndent.Indent(array)).Append('\n');
        }

        await context.Out.WriteAsync(_output.ToString()).ConfigureAwait(false);
        if (_errors.Count > 0)
        {
            throw new CliErrorException(string.Join("\n", _errors));
        }

        return 0;
    }
}
