namespace Wharf.Integration.Tests;

/// <summary>Locates the checkout and the built binaries (./build.sh puts them in out/).</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Wharfd => Path.Combine(Root, "out", "wharfd");

    public static string Wharf => Path.Combine(Root, "out", "wharf");

    public static string Golden(string name) => Path.Combine(Root, "tests", "golden", "dockerd-20.10", name);

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Wharf.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("cannot find the checkout root (Wharf.slnx)");
    }
}
