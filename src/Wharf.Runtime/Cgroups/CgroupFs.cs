namespace Wharf.Runtime.Cgroups;

/// <summary>
/// The few file operations the cgroup readers need. The real one reads /proc and /sys; tests
/// give a dictionary of recorded file contents, so the readers are checked without a kernel.
/// </summary>
internal sealed class CgroupFs(Func<string, string?> read, Func<string, IEnumerable<string>> subdirectories)
{
    public static CgroupFs Host { get; } = new(TryRead, SubdirectoriesOf);

    /// <summary>The file's text, or null when it does not exist or cannot be read.</summary>
    public string? Read(string path) => read(path);

    public bool Exists(string path) => read(path) is not null;

    public IEnumerable<string> Subdirectories(string path) => subdirectories(path);

    /// <summary>A dictionary-backed file system (path to content); directories are implied by paths.</summary>
    public static CgroupFs FromFiles(IReadOnlyDictionary<string, string> files) => new(
        p => files.TryGetValue(p, out var v) ? v : null,
        dir =>
        {
            var prefix = dir.TrimEnd('/') + "/";
            return files.Keys
                .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && k.IndexOf('/', prefix.Length) > 0)
                .Select(k => k[..k.IndexOf('/', prefix.Length)])
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal);
        });

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<string> SubdirectoriesOf(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
