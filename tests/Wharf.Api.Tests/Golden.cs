namespace Wharf.Api.Tests;

/// <summary>Finds tests/golden/ by walking up from the test binaries, so the golden directory stays the single source.</summary>
internal static class Golden
{
    public static string ContainersDir { get; } = Find(Path.Combine("tests", "golden", "dockerd-20.10", "containers"));

    public static string Read(string name) => File.ReadAllText(Path.Combine(ContainersDir, name));

    private static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(relative + " not found above " + AppContext.BaseDirectory);
    }
}
