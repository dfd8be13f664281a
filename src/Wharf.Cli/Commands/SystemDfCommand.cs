using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;

namespace Wharf.Cli.Commands;

/// <summary><c>system df</c>: disk usage summary, or per-object tables with <c>-v</c>.</summary>
internal sealed class SystemDfCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "Show docker disk usage",
        [
            FlagSpec.String("format", null, FormatUsage.Table),
            FlagSpec.Bool("verbose", 'v', "Show detailed information on space usage"),
        ],
        ArgsRule.None);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var du = await context.Client.GetJsonAsync("/system/df", null, cancellationToken).ConfigureAwait(false) as JsonObject ?? [];
        var images = du["Images"] as JsonArray ?? [];
        var containers = (du["Containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var volumes = (du["Volumes"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var cache = (du["BuildCache"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var now = context.Time.GetUtcNow();
        if (invocation.Flags.Bool("verbose"))
        {
            await context.Out.WriteAsync(Verbose(images, containers, volumes, cache, now)).ConfigureAwait(false);
            return 0;
        }
        string format = invocation.Flags.String("format") ?? "";
        if (format.Length == 0 || format == "table")
        {
            format = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
        }
        long layers = ImageRows.Long(du["LayersSize"]);
        long imagesUsed = 0;
        foreach (var img in images.OfType<JsonObject>())
        {
            long shared = ImageRows.Long(img["SharedSize"], -1);
            long size = ImageRows.Long(img["Size"]);
            if (ImageRows.Long(img["Containers"]) > 0 && shared != -1)
            {
                imagesUsed += size - shared;
            }
        }
        long containersSize = containers.Sum(c => ImageRows.Long(c["SizeRw"]));
        long containersReclaimable = containers.Where(c => ImageRows.Str(c["State"]) != "running").Sum(c => ImageRows.Long(c["SizeRw"]));
        long volumesSize = volumes.Sum(v => Math.Max(ImageRows.Long(v["UsageData"]?["Size"]), 0));
        long volumesReclaimable = volumes.Where(v => ImageRows.Long(v["UsageData"]?["RefCount"]) == 0).Sum(v => Math.Max(ImageRows.Long(v["UsageData"]?["Size"]), 0));
        long cacheSize = cache.Where(c => !Bool(c["Shared"])).Sum(c => ImageRows.Long(c["Size"]));
        long cacheReclaimable = cache.Where(c => !Bool(c["InUse"]) && !Bool(c["Shared"])).Sum(c => ImageRows.Long(c["Size"]));
        var rows = new List<TemplateStruct>
        {
            Row("Images", images.Count, images.OfType<JsonObject>().Count(i => ImageRows.Long(i["Containers"]) > 0), layers, layers - imagesUsed),
            Row("Containers", containers.Count, containers.Count(c => ImageRows.Str(c["State"]) == "running"), containersSize, containersReclaimable),
            Row("Local Volumes", volumes.Count, volumes.Count(v => ImageRows.Long(v["UsageData"]?["RefCount"]) > 0), volumesSize, volumesReclaimable),
            Row("Build Cache", cache.Count, cache.Count(c => Bool(c["InUse"])), cacheSize, cacheReclaimable),
        };
        var header = new JsonObject
        {
            ["Type"] = "TYPE",
            ["TotalCount"] = "TOTAL",
            ["Active"] = "ACTIVE",
            ["Size"] = "SIZE",
            ["Reclaimable"] = "RECLAIMABLE",
        };
        await context.Out.WriteAsync(OutputFormat.Render(format, rows, header)).ConfigureAwait(false);
        return 0;
    }

    private static string ShortImage(string image, string imageId) =>
        image.Length == 0 ? "<none>" : Humanize.ShortId(imageId) == Humanize.ShortId(image) ? Humanize.ShortId(image) : image;

    private static bool Bool(JsonNode? n) => n is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static TemplateStruct Row(string type, int total, int active, long size, long reclaimable)
    {
        string rec = Humanize.SizeDefault(reclaimable);
        if (size > 0)
        {
            rec += string.Create(CultureInfo.InvariantCulture, $" ({reclaimable * 100 / size}%)");
        }
        return new TemplateStruct("*formatter.diskUsageContext", new JsonObject
        {
            ["Active"] = active.ToString(CultureInfo.InvariantCulture),
            ["Reclaimable"] = rec,
            ["Size"] = Humanize.SizeDefault(size),
            ["TotalCount"] = total.ToString(CultureInfo.InvariantCulture),
            ["Type"] = type,
        });
    }

    private static string Verbose(JsonArray images, List<JsonObject> containers, List<JsonObject> volumes, List<JsonObject> cache, DateTimeOffset now)
    {
        var sb = new StringBuilder();
        sb.Append("Images space usage:\n\n");
        var imageRows = images.OfType<JsonObject>().Select(i =>
        {
            var tags = ImageRows.Strings(i["RepoTags"]);
            string repo = "<none>", tag = "<none>";
            if (tags.Count > 0 && !ImageRows.IsDangling(tags, ImageRows.Strings(i["RepoDigests"])))
            {
                var r = ImageReference.Parse(tags[0]);
                if (r.Tag is not null)
                {
                    repo = ImageReference.Familiar(r.Name);
                    tag = r.Tag;
                }
            }
            long created = ImageRows.Long(i["Created"]);
            long size = ImageRows.Long(i["Size"]);
            long shared = ImageRows.Long(i["SharedSize"], -1);
            return new TemplateStruct("*formatter.imageContext", new JsonObject
            {
                ["Repository"] = repo,
                ["Tag"] = tag,
                ["ID"] = Humanize.ShortId(ImageRows.Str(i["Id"])),
                ["CreatedSince"] = Humanize.Since(created, now),
                ["Size"] = Humanize.Size(size),
                ["SharedSize"] = shared == -1 ? "N/A" : Humanize.SizeDefault(shared),
                ["UniqueSize"] = shared == -1 ? "N/A" : Humanize.SizeDefault(size - shared),
                ["Containers"] = ImageRows.Count(ImageRows.Long(i["Containers"], -1)),
            });
        });
        sb.Append(OutputFormat.Render("table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}",
            imageRows, ImageRows.Header));
        sb.Append("\nContainers space usage:\n\n");
        var containerRows = containers.Select(c =>
        {
            string command = ImageRows.Str(c["Command"]);
            return new TemplateStruct("*formatter.diskUsageContainerContext", new JsonObject
            {
                ["ID"] = Humanize.ShortId(ImageRows.Str(c["Id"])),
                ["Image"] = ShortImage(ImageRows.Str(c["Image"]), ImageRows.Str(c["ImageID"])),
                ["Command"] = "\"" + Humanize.Ellipsis(command, 20) + "\"",
                ["LocalVolumes"] = (c["Mounts"] as JsonArray ?? []).Count(m => ImageRows.Str(m?["Type"]) == "volume").ToString(CultureInfo.InvariantCulture),
                ["Size"] = Humanize.SizeDefault(ImageRows.Long(c["SizeRw"])),
                ["RunningFor"] = Humanize.Since(ImageRows.Long(c["Created"]), now),
                ["Status"] = ImageRows.Str(c["Status"]),
                ["Names"] = string.Join(",", ImageRows.Strings(c["Names"]).Select(n => n.TrimStart('/'))),
            });
        });
        sb.Append(OutputFormat.Render("table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}", containerRows, new JsonObject
        {
            ["ID"] = "CONTAINER ID",
            ["Image"] = "IMAGE",
            ["Command"] = "COMMAND",
            ["LocalVolumes"] = "LOCAL VOLUMES",
            ["Size"] = "SIZE",
            ["RunningFor"] = "CREATED",
            ["Status"] = "STATUS",
            ["Names"] = "NAMES",
        }));
        sb.Append("\nLocal Volumes space usage:\n\n");
        var volumeRows = volumes.Select(v => new TemplateStruct("*formatter.diskUsageVolumeContext", new JsonObject
        {
            ["Name"] = ImageRows.Str(v["Name"]),
            ["Links"] = ImageRows.Long(v["UsageData"]?["RefCount"]).ToString(CultureInfo.InvariantCulture),
            ["Size"] = ImageRows.Long(v["UsageData"]?["Size"], -1) is var s && s >= 0 ? Humanize.SizeDefault(s) : "N/A",
        }));
        sb.Append(OutputFormat.Render("table {{.Name}}\t{{.Links}}\t{{.Size}}", volumeRows, new JsonObject
        {
            ["Name"] = "VOLUME NAME",
            ["Links"] = "LINKS",
            ["Size"] = "SIZE",
        }));
        long cacheTotal = cache.Sum(c => ImageRows.Long(c["Size"]));
        sb.Append("\nBuild cache usage: ").Append(Humanize.SizeDefault(cacheTotal)).Append("\n\n");
        var cacheRows = cache.Select(c => new TemplateStruct("*formatter.buildCacheContext", new JsonObject
        {
            ["ID"] = Humanize.ShortId(ImageRows.Str(c["ID"])),
            ["CacheType"] = ImageRows.Str(c["Type"]),
            ["Size"] = Humanize.SizeDefault(ImageRows.Long(c["Size"])),
            ["CreatedSince"] = ImageRows.Str(c["CreatedAt"]),
            ["LastUsedSince"] = ImageRows.Str(c["LastUsedAt"]),
            ["UsageCount"] = ImageRows.Long(c["UsageCount"]).ToString(CultureInfo.InvariantCulture),
            ["Shared"] = Bool(c["Shared"]) ? "true" : "false",
        }));
        sb.Append(OutputFormat.Render("table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}", cacheRows, new JsonObject
        {
            ["ID"] = "CACHE ID",
            ["CacheType"] = "CACHE TYPE",
            ["Size"] = "SIZE",
            ["CreatedSince"] = "CREATED",
            ["LastUsedSince"] = "LAST USED",
            ["UsageCount"] = "USAGE",
            ["Shared"] = "SHARED",
        }));
        return sb.ToString();
    }
}
