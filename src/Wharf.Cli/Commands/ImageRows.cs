using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Formatting;
using Wharf.Cli.Templates;

namespace Wharf.Cli.Commands;

/// <summary>docker's imageContext rows (cli/command/formatter/image.go) built from /images/json entries.</summary>
internal static class ImageRows
{
    public static readonly JsonObject Header = new()
    {
        ["ID"] = "IMAGE ID",
        ["Repository"] = "REPOSITORY",
        ["Tag"] = "TAG",
        ["Digest"] = "DIGEST",
        ["CreatedSince"] = "CREATED",
        ["CreatedAt"] = "CREATED AT",
        ["Size"] = "SIZE",
        ["SharedSize"] = "SHARED SIZE",
        ["UniqueSize"] = "UNIQUE SIZE",
        ["VirtualSize"] = "SIZE",
        ["Containers"] = "CONTAINERS",
    };

    public static IEnumerable<TemplateStruct> Build(JsonArray images, bool trunc, bool digests, DateTimeOffset now)
    {
        foreach (var node in images)
        {
            if (node is not JsonObject img)
            {
                continue;
            }
            var tags = Strings(img["RepoTags"]);
            var repoDigests = Strings(img["RepoDigests"]);
            if (IsDangling(tags, repoDigests))
            {
                yield return Row(img, "<none>", "<none>", "<none>", trunc, now);
                continue;
            }
            var byRepoTags = new List<(string Repo, List<string> Tags)>();
            foreach (var t in tags)
            {
                var r = SafeParse(t);
                if (r?.Tag is null)
                {
                    continue;
                }
                string repo = ImageReference.Familiar(r.Name);
                var entry = byRepoTags.FirstOrDefault(e => e.Repo == repo);
                if (entry.Tags is null)
                {
                    entry = (repo, []);
                    byRepoTags.Add(entry);
                }
                entry.Tags.Add(r.Tag);
            }
            var byRepoDigests = new List<(string Repo, List<string> Digests)>();
            foreach (var d in repoDigests)
            {
                var r = SafeParse(d);
                if (r?.Digest is null)
                {
                    continue;
                }
                string repo = ImageReference.Familiar(r.Name);
                var entry = byRepoDigests.FirstOrDefault(e => e.Repo == repo);
                if (entry.Digests is null)
                {
                    entry = (repo, []);
                    byRepoDigests.Add(entry);
                }
                entry.Digests.Add(r.Digest);
            }
            foreach (var (repo, repoTags) in byRepoTags)
            {
                var ds = byRepoDigests.FirstOrDefault(e => e.Repo == repo).Digests;
                byRepoDigests.RemoveAll(e => e.Repo == repo);
                foreach (var tag in repoTags)
                {
                    if (!digests || ds is null || ds.Count == 0)
                    {
                        yield return Row(img, repo, tag, "<none>", trunc, now);
                        continue;
                    }
                    foreach (var d in ds)
                    {
                        yield return Row(img, repo, tag, d, trunc, now);
                    }
                }
            }
            foreach (var (repo, ds) in byRepoDigests)
            {
                if (digests)
                {
                    foreach (var d in ds)
                    {
                        yield return Row(img, repo, "<none>", d, trunc, now);
                    }
                }
                else
                {
                    yield return Row(img, repo, "<none>", "", trunc, now);
                }
            }
        }
    }

    private static ImageReference? SafeParse(string s)
    {
        try
        {
            return ImageReference.Parse(s);
        }
        catch (Cli.CliErrorException)
        {
            return null;
        }
    }

    public static bool IsDangling(List<string> tags, List<string> digests) =>
        (tags.Count == 0 && digests.Count == 0) ||
        (tags is ["<none>:<none>"] && digests is ["<none>@<none>"]);

    public static List<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x?.GetValue<string>() ?? "").ToList() : [];

    public static long Long(JsonNode? node, long fallback = 0) =>
        node is JsonValue v && v.TryGetValue<long>(out var l) ? l : node is JsonValue i && i.TryGetValue<int>(out var n) ? n : fallback;

    public static string Str(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    public static string Count(long n) => n == -1 ? "N/A" : n.ToString(CultureInfo.InvariantCulture);

    private static TemplateStruct Row(JsonObject img, string repo, string tag, string digest, bool trunc, DateTimeOffset now)
    {
        string id = Str(img["Id"]);
        long created = Long(img["Created"]);
        long size = Long(img["Size"]);
        long shared = Long(img["SharedSize"], -1);
        long virtualSize = Long(img["VirtualSize"], size);
        long containers = Long(img["Containers"], -1);
        return new TemplateStruct("*formatter.imageContext", new JsonObject
        {
            ["Containers"] = Count(containers),
            ["CreatedAt"] = Humanize.GoTimeString(DateTimeOffset.FromUnixTimeSeconds(created)),
            ["CreatedSince"] = Humanize.Since(created, now),
            ["Digest"] = digest,
            ["ID"] = trunc ? Humanize.ShortId(id) : id,
            ["Repository"] = repo,
            ["SharedSize"] = shared == -1 ? "N/A" : Humanize.SizeDefault(shared),
            ["Size"] = Humanize.Size(size),
            ["Tag"] = tag,
            ["UniqueSize"] = shared == -1 ? "N/A" : Humanize.SizeDefault(size - shared),
            ["VirtualSize"] = Humanize.SizeDefault(virtualSize),
        });
    }
}
