using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;

namespace Wharf.Cli.Commands;

/// <summary>docker's volumeContext rows (cli/command/formatter/volume.go) from /volumes entries.</summary>
internal static class VolumeRows
{
    public const string DefaultTable = "table {{.Driver}}\t{{.Name}}";

    public static readonly JsonObject Header = new()
    {
        ["ID"] = "ID",
        ["Name"] = "VOLUME NAME",
        ["Group"] = "GROUP",
        ["Driver"] = "DRIVER",
        ["Scope"] = "SCOPE",
        ["Availability"] = "AVAILABILITY",
        ["Mountpoint"] = "MOUNTPOINT",
        ["Labels"] = "LABELS",
        ["Links"] = "LINKS",
        ["Size"] = "SIZE",
        ["Status"] = "STATUS",
    };

    public static TemplateStruct Row(JsonObject v)
    {
        var labels = (v["Labels"] as JsonObject)?.Select(kv => kv.Key + "=" + ImageRows.Str(kv.Value)).Order(StringComparer.Ordinal).ToList();
        var usage = v["UsageData"] as JsonObject;
        return new TemplateStruct("*formatter.volumeContext", new JsonObject
        {
            ["Availability"] = "N/A",
            ["Driver"] = ImageRows.Str(v["Driver"]),
            ["Group"] = "N/A",
            ["Labels"] = labels is null ? "" : string.Join(",", labels),
            ["Links"] = usage is null ? "N/A" : ImageRows.Long(usage["RefCount"]).ToString(CultureInfo.InvariantCulture),
            ["Mountpoint"] = ImageRows.Str(v["Mountpoint"]),
            ["Name"] = ImageRows.Str(v["Name"]),
            ["Scope"] = ImageRows.Str(v["Scope"]),
            ["Size"] = usage is null ? "N/A" : Humanize.SizeDefault(ImageRows.Long(usage["Size"])),
            ["Status"] = "N/A",
        });
    }

    /// <summary>fvbommel/sortorder's NaturalLess: runs of digits compare by value ("vol-2" before "vol-10").</summary>
    public static int NaturalCompare(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (char.IsAsciiDigit(a[i]) != char.IsAsciiDigit(b[j]))
            {
                // Digits sort before everything else.
                return char.IsAsciiDigit(a[i]) ? -1 : 1;
            }

            if (char.IsAsciiDigit(a[i]))
            {
                int si = i, sj = j;
                while (si < a.Length && a[si] == '0')
                {
                    si++;
                }

                while (sj < b.Length && b[sj] == '0')
                {
                    sj++;
                }

                int ei = si, ej = sj;
                while (ei < a.Length && char.IsAsciiDigit(a[ei]))
                {
                    ei++;
                }

                while (ej < b.Length && char.IsAsciiDigit(b[ej]))
                {
                    ej++;
                }

                int lengths = (ei - si).CompareTo(ej - sj);
                if (lengths != 0)
                {
                    return lengths;
                }

                int digits = string.CompareOrdinal(a, si, b, sj, ei - si);
                if (digits != 0)
                {
                    return digits;
                }

                // Equal values: fewer leading zeros first.
                int zeros = (si - i).CompareTo(sj - j);
                if (zeros != 0)
                {
                    return zeros;
                }

                i = ei;
                j = ej;
                continue;
            }

            if (a[i] != b[j])
            {
                return a[i].CompareTo(b[j]);
            }

            i++;
            j++;
        }

        return (a.Length - i).CompareTo(b.Length - j);
    }
}
