using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;

namespace Wharf.Cli.Commands;

/// <summary>docker's containerContext rows (cli/command/formatter/container.go) from /containers/json entries.</summary>
internal static class ContainerRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    public static readonly JsonObject Header = new()
    {
        ["ID"] = "CONTAINER ID",
        ["Image"] = "IMAGE",
        ["Command"] = "COMMAND",
        ["CreatedAt"] = "CREATED AT",
        ["RunningFor"] = "CREATED",
        ["Ports"] = "PORTS",
        ["State"] = "STATE",
        ["Status"] = "STATUS",
        ["Size"] = "SIZE",
        ["Names"] = "NAMES",
        ["Labels"] = "LABELS",
        ["Mounts"] = "MOUNTS",
        ["Networks"] = "NETWORKS",
        ["LocalVolumes"] = "LOCAL VOLUMES",
        ["Platform"] = "PLATFORM",
    };

    /// <summary>The COMMAND column: truncated to 20 characters with "…" unless --no-trunc, then Go-quoted.</summary>
    public static string Command(string command, bool trunc) => GoQuote.Quote(trunc ? Humanize.Ellipsis(command, 20) : command);

    public static TemplateStruct Row(JsonObject c, bool trunc, DateTimeOffset now)
    {
        string id = ImageRows.Str(c["Id"]);
        string image = ImageRows.Str(c["Image"]);
        if (trunc && image.StartsWith("sha256:", StringComparison.Ordinal))
        {
            image = Humanize.ShortId(image);
        }
        long created = ImageRows.Long(c["Created"]);
        var names = ImageRows.Strings(c["Names"]).Select(n => n.TrimStart('/')).Where(n => !trunc || !n.Contains('/', StringComparison.Ordinal)).ToList();
        if (trunc && names.Count > 1)
        {
            names = [names[0]];
        }
        var labels = c["Labels"] as JsonObject;
        var networks = (c["NetworkSettings"]?["Networks"] as JsonObject)?.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList() ?? [];
        var mounts = c["Mounts"] as JsonArray ?? [];
        string size = "";
        if (c["SizeRw"] is not null || c["SizeRootFs"] is not null)
        {
            long rw = ImageRows.Long(c["SizeRw"]);
            long rootfs = ImageRows.Long(c["SizeRootFs"]);
            size = Humanize.Size(rw) + (rootfs > 0 ? $" (virtual {Humanize.Size(rootfs)})" : "");
        }
        return new TemplateStruct("*formatter.ContainerContext", new JsonObject
        {
            ["Command"] = Command(ImageRows.Str(c["Command"]), trunc),
            ["CreatedAt"] = Humanize.GoTimeString(DateTimeOffset.FromUnixTimeSeconds(created)),
            ["ID"] = trunc ? Humanize.ShortId(id) : id,
            ["Image"] = image,
            ["Labels"] = labels is null ? "" : string.Join(",", labels.Select(kv => kv.Key + "=" + ImageRows.Str(kv.Value)).Order(StringComparer.Ordinal)),
            ["LocalVolumes"] = mounts.Count(m => ImageRows.Str(m?["Driver"]) == "local").ToString(CultureInfo.InvariantCulture),
            ["Mounts"] = string.Join(",", mounts.Select(m => ImageRows.Str(m?["Name"]) is { Length: > 0 } n ? (trunc ? Humanize.Ellipsis(n, 15) : n) : ImageRows.Str(m?["Source"]))),
            ["Names"] = string.Join(",", names),
            ["Networks"] = string.Join(",", networks),
            ["Ports"] = Ports(c["Ports"] as JsonArray ?? []),
            ["RunningFor"] = Humanize.Since(created, now),
            ["Size"] = size,
            ["State"] = ImageRows.Str(c["State"]),
            ["Status"] = ImageRows.Str(c["Status"]),
        });
    }

    /// <summary>A simplified DisplayablePorts: "0.0.0.0:8080->80/tcp" or "80/tcp", joined by ", ".</summary>
    public static string Ports(JsonArray ports)
    {
        var parts = new List<string>();
        foreach (var p in ports)
        {
            string ip = ImageRows.Str(p?["IP"]);
            long priv = ImageRows.Long(p?["PrivatePort"]);
            long pub = ImageRows.Long(p?["PublicPort"]);
            string type = ImageRows.Str(p?["Type"]);
            string s = pub > 0
                ? $"{(ip.Contains(':', StringComparison.Ordinal) ? "[" + ip + "]" : ip)}:{pub}->{priv}/{type}"
                : $"{priv}/{type}";
            if (!parts.Contains(s))
            {
                parts.Add(s);
            }
        }
        return string.Join(", ", parts);
    }
}
