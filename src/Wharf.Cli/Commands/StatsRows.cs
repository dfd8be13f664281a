using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;

namespace Wharf.Cli.Commands;

/// <summary>docker's statsContext (cli/command/container/formatter_stats.go): columns, headers and cell texts.</summary>
internal static class StatsRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    public static readonly JsonObject Header = new()
    {
        ["Container"] = "CONTAINER",
        ["ID"] = "CONTAINER ID",
        ["Name"] = "NAME",
        ["CPUPerc"] = "CPU %",
        ["MemUsage"] = "MEM USAGE / LIMIT",
        ["MemPerc"] = "MEM %",
        ["NetIO"] = "NET I/O",
        ["BlockIO"] = "BLOCK I/O",
        ["PIDs"] = "PIDS",
    };

    /// <summary>Keys in Go's sorted order, so <c>{{json .}}</c> matches docker byte for byte.</summary>
    public static TemplateStruct Row(StatsEntry s, bool trunc) => new("*container.statsContext", new JsonObject
    {
        ["BlockIO"] = s.IsInvalid ? "--" : Humanize.Size(s.BlockRead) + " / " + Humanize.Size(s.BlockWrite),
        ["CPUPerc"] = s.IsInvalid ? "--" : Percent(s.CpuPercentage),
        ["Container"] = s.Container,
        ["ID"] = trunc ? Humanize.ShortId(s.Id) : s.Id,
        ["MemPerc"] = s.IsInvalid ? "--" : Percent(s.MemoryPercentage),
        ["MemUsage"] = s.IsInvalid ? "-- / --" : Humanize.BytesSize(s.Memory) + " / " + Humanize.BytesSize(s.MemoryLimit),
        ["Name"] = s.Name.Length > 1 ? s.Name[1..] : "--",
        ["NetIO"] = s.IsInvalid ? "--" : Humanize.Size(s.NetworkRx) + " / " + Humanize.Size(s.NetworkTx),
        ["PIDs"] = s.IsInvalid ? "--" : s.PidsCurrent.ToString(CultureInfo.InvariantCulture),
    });

    /// <summary>Go's <c>%.2f%%</c>.</summary>
    public static string Percent(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + "%";
}
