namespace Wharf.Shim.Tests;

public sealed class ShimSourceTests
{
    [Fact]
    public void ShimSourceDirectoryExists()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Wharf.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        Assert.True(Directory.Exists(Path.Combine(dir!, "src", "wharf-shim")));
    }
}
