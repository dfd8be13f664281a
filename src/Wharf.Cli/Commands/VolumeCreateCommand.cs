using System.Text.Json.Nodes;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary><c>volume create</c>.</summary>
internal sealed class VolumeCreateCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS] [VOLUME]",
        "Create a volume",
        [
            FlagSpec.String("driver", 'd', "Specify volume driver name", "string", "local"),
            FlagSpec.List("label", null, "Set metadata for a volume"),
            FlagSpec.String("name", null, "Specify volume name") with { Hidden = true },
            FlagSpec.List("opt", 'o', "Set driver specific options", "map"),
        ],
        ArgsRule.AtMost(1));

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        string name = f.String("name") ?? "";
        if (invocation.Args.Count == 1)
        {
            if (name.Length > 0)
            {
                throw new CliErrorException("conflicting options: cannot specify a volume-name through both --name and as a positional arg");
            }
            name = invocation.Args[0];
        }
        var body = new JsonObject
        {
            ["Driver"] = f.String("driver") ?? "local",
            ["DriverOpts"] = KeyValues(f.List("opt"), null),
            ["Labels"] = KeyValues(f.List("label"), "label"),
            ["Name"] = name,
        };
        var created = await context.Client.PostJsonAsync("/volumes/create", null, body, cancellationToken).ConfigureAwait(false);
        await context.Out.WriteLineAsync(ImageRows.Str(created?["Name"])).ConfigureAwait(false);
        return 0;
    }

    /// <summary>docker's map and label flags: <c>k=v</c>, or <c>k</c> for an empty value; labels need a name.</summary>
    internal static JsonObject KeyValues(IReadOnlyList<string> values, string? labelFlag)
    {
        var o = new JsonObject();
        foreach (var v in values)
        {
            int eq = v.IndexOf('=', StringComparison.Ordinal);
            string key = eq < 0 ? v : v[..eq];
            if (labelFlag is not null && key.Trim().Length == 0)
            {
                throw new UsageException($"invalid argument \"{v}\" for \"--{labelFlag}\" flag: invalid label '{v}': empty name");
            }
            o[key] = eq < 0 ? "" : v[(eq + 1)..];
        }
        return o;
    }
}
