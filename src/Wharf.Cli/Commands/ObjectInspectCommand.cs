using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
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
        var printer = new InspectPrinter(invocation.Flags.String("format"));
        foreach (var name in invocation.Args)
        {
            JsonNode? item;
            try
            {
                item = await context.Client.GetJsonAsync($"{_collection}/{ApiPath.Escape(name)}", null, cancellationToken).ConfigureAwait(false);
            }
            catch (DaemonErrorException e)
            {
                printer.AddError("Error response from daemon: " + e.Message);
                continue;
            }

            printer.Add(item?.ToJsonString() ?? "null");
        }

        return await printer.FinishAsync(context).ConfigureAwait(false);
    }
}
