using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary><c>image inspect</c> and top-level <c>inspect</c> (containers, images, volumes).</summary>
internal sealed class InspectCommand(bool topLevel) : ICommand
{
    public CommandSpec Spec { get; } = topLevel
        ? new CommandSpec(
            "[OPTIONS] NAME|ID [NAME|ID...]",
            "Return low-level information on Docker objects",
            [
                FlagSpec.String("format", 'f', FormatUsage.Inspect),
                FlagSpec.Bool("size", 's', "Display total file sizes if the type is container"),
                FlagSpec.String("type", null, "Only inspect objects of the given type"),
            ],
            ArgsRule.AtLeast(1))
        : new CommandSpec(
            "[OPTIONS] IMAGE [IMAGE...]",
            "Display detailed information on one or more images",
            [FlagSpec.String("format", 'f', FormatUsage.Inspect)],
            ArgsRule.AtLeast(1));

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        string? type = invocation.Flags.String("type");
        if (topLevel && !string.IsNullOrEmpty(type) && type is not ("image" or "container" or "volume"))
        {
            throw new CliErrorException($"\"{type}\" is not a valid value for --type");
        }
        string format = invocation.Flags.String("format") ?? "";
        GoTemplate? template = format.Length == 0 || OutputFormat.IsJson(format) ? null : OutputFormat.ParseTemplate(format);
        var raw = new List<string>();
        var errors = new List<string>();
        var output = new StringBuilder();
        foreach (var name in invocation.Args)
        {
            string? body = null;
            string[] kinds = !topLevel ? ["images"] : type == "image" ? ["images"] : type == "container" ? ["containers"] : type == "volume" ? ["volumes"] : ["containers", "images", "volumes"];
            DaemonErrorException? notFound = null;
            foreach (var kind in kinds)
            {
                try
                {
                    var (response, stream) = await context.Client.OpenStreamAsync(HttpMethod.Get, kind == "volumes" ? $"/volumes/{Wharf.Client.ApiPath.Escape(name)}" : $"/{kind}/{Wharf.Client.ApiPath.Escape(name)}/json", null, null, cancellationToken).ConfigureAwait(false);
                    using (response)
                    await using (stream.ConfigureAwait(false))
                    using (var reader = new StreamReader(stream))
                    {
                        body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                    }
                    break;
                }
                catch (DaemonErrorException e) when (e.StatusCode == HttpStatusCode.NotFound)
                {
                    notFound = e;
                }
            }
            if (body is null)
            {
                errors.Add(topLevel && string.IsNullOrEmpty(type) ? "Error: No such object: " + name : "Error response from daemon: " + notFound?.Message);
                continue;
            }
            if (template is null)
            {
                raw.Add(body.Trim());
            }
            else
            {
                output.Append(OutputFormat.RenderOne(template, JsonNode.Parse(body)));
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
