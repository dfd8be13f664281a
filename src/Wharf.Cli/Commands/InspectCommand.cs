using System.Net;
using Wharf.Cli.Cli;
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
        var printer = new InspectPrinter(invocation.Flags.String("format"));
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
                printer.AddError(topLevel && string.IsNullOrEmpty(type) ? "Error: No such object: " + name : "Error response from daemon: " + notFound?.Message);
                continue;
            }
            printer.Add(body);
        }
        return await printer.FinishAsync(context).ConfigureAwait(false);
    }
}
