using Wharf.Cli.Cli;
using Wharf.Cli.Formatting;
using Wharf.Registry;
using Wharf.Registry.Gc;

namespace Wharf.Cli.Commands;

/// <summary><c>registry gc</c>: removes blobs no manifest references from a registry root.</summary>
internal sealed class RegistryGcCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "[OPTIONS]",
        "Remove unreferenced blobs from a registry's storage",
        [
            FlagSpec.String("root", null, "Storage root directory"),
            FlagSpec.String("config", null, "The registry's config file (JSON or YAML): its storage settings"),
            FlagSpec.Bool("delete-untagged", null, "Also remove manifests no tag reaches"),
            FlagSpec.Bool("dry-run", 'd', "Report what would be removed, remove nothing"),
            FlagSpec.String("grace", null, "Keep blobs stored more recently than this (e.g. 1h, 30m, 0s)", "duration", "1h"),
            .. RegistryStorageFlags.Specs,
        ],
        ArgsRule.None);

    public async Task<int> RunAsync(CommandContext context, Invocation invocation, CancellationToken cancellationToken)
    {
        var f = invocation.Flags;
        var config = await RegistryStorageFlags.LoadConfigAsync(f, cancellationToken).ConfigureAwait(false);
        if (config.Storage is null or "filesystem")
        {
            var root = config.Root ?? throw new CliErrorException("--root is required");
            if (!Directory.Exists(root))
            {
                throw new CliErrorException($"registry root {root} does not exist");
            }
        }
        var grace = ParseDuration(f.String("grace") ?? "1h");
        GcReport report;
        try
        {
            report = await RegistryGc.RunAsync(config, new GcOptions(grace, TimeSpan.FromDays(7), f.Bool("delete-untagged"), f.Bool("dry-run")), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            throw new CliErrorException(e.Message);
        }
        await context.Out.WriteAsync(
            $"{report.MarkedBlobs} blobs referenced, {report.DeletedBlobs} blobs {(f.Bool("dry-run") ? "to remove" : "removed")} ({Humanize.SizeDefault(report.FreedBytes)}), " +
            $"{report.DeletedManifests} manifests, {report.DeletedLinks} links, {report.PurgedUploads} stale uploads" +
            (report.AbortedStrayUploads > 0 ? $", {report.AbortedStrayUploads} stray multipart uploads" : "") + "\n").ConfigureAwait(false);
        return 0;
    }

    internal static TimeSpan ParseDuration(string text)
    {
        if (text.Length >= 2 && long.TryParse(text[..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }
        throw new CliErrorException($"invalid duration \"{text}\" (e.g. 30s, 10m, 1h)");
    }
}
