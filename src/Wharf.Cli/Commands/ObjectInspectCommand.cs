using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>
/// <c>volume inspect</c> and <c>network inspect</c>: GET <c>{collection}/{name}</c> for each
/// name, printed as one indented JSON array or through <c>--format</c>; names the daemon does
/// not know are reported after the others, as docker does.
/// </summary>
internal sealed class ObjectInspectCommand : ICommand
{
    private readonly string _collection;

    private ObjectInspectCommand(string collection, string argument, string plural)
    {
        _collection = collection;
        Spec = new(
            $"[OPTIONS] {argument} [{argument}...]",
            $"Display detailed information on one or more {plural}",
            [FlagSpec.String("format", 'f', FormatUsage.Inspect)],
            ArgsRule.AtLeast(1));
    }

    public CommandSpec Spec { get; }

    public static ObjectInspectCommand Volume() => new("/volumes", "VOLUME", "volumes");

    public static ObjectInspectCommand Network() => new("/networks", "NETWORK", "networks");

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string format = invocation.Flags.String("format") ?? "";
        GoTemplate? template = format.Length == 0 || OutputFormat.IsJson(format) ? null : OutputFormat.ParseTemplate(format);
        var raw = new List<string>();
        var errors = new List<string>();
        var output = new StringBuilder();
        foreach (var name in invocation.Args)
        {
            JsonNode? item;
            try
            {
                item = await context.Client.GetJsonAsync($"{_collection}/{ApiPath.Escape(name)}", null, cancellationToken).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
                continue;
            }

            if (template is null)
            {
                raw.Add(item?.ToJsonString() ?? "null");
            }
            else
            {
                output.Append(OutputFormat.RenderOne(template, item));
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
