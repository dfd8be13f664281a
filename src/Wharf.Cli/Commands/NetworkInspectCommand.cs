using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>network inspect</c>.</summary>
internal sealed class NetworkInspectCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] NETWORK [NETWORK...]",
        "Display detailed information on one or more networks",
        [FlagSpec.String("format", 'f', FormatUsage.Inspect)],
        ArgsRule.AtLeast(1));

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string format = invocation.Flags.String("format") ?? "";
        GoTemplate? template = format.Length == 0 || OutputFormat.IsJson(format) ? null : OutputFormat.ParseTemplate(format);
        var raw = new List<string>();
        var errors = new List<string>();
        var output = new StringBuilder();
        foreach (var name in invocation.Args)
        {
            JsonNode? volume;
            try
            {
                volume = await context.Client.GetJsonAsync($"/networks/{ApiPath.Escape(name)}", null, cancellationToken).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
                continue;
            }
            if (template is null)
            {
                raw.Add(volume?.ToJsonString() ?? "null");
            }
            else
            {
                output.Append(OutputFormat.RenderOne(template, volume));
            }
        }
        if (template is null)
        {
            string array = "[" + string.Join(",", raw) + "]";
            output.Append(raw.Count == 0 ? "[]" : OutputFormat.IsJson(format) ? array : JsonIndent.Indent(array)).Append('\n');
        }
        await context.Out.WriteAsync(output.ToString()).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            throw new CliErrorException(string.Join("\n", errors));
        }
        return 0;
    }
}
