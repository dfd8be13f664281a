namespace Wharf.Runtime.Tests;

public sealed class ProjectBuildsTests
{
    [Fact]
    public void RuntimeAssemblyLoads() => Assert.Equal("Wharf.Runtime", typeof(Wharf.Runtime.RuntimeAssembly).Assembly.GetName().Name);
}
