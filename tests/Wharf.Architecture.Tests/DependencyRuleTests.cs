using System.Reflection;

namespace Wharf.Architecture.Tests;

/// <summary>
/// The dependency rule from DESIGN.md, checked on the built assemblies: Oci and Api are
/// leaves, Core never sees ASP.NET Core, Api or Linux, implementations depend on Core only,
/// and only the daemon knows every concrete type.
/// </summary>
public sealed class DependencyRuleTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Wharf.Oci"] = [],
        ["Wharf.Api"] = ["Wharf.Oci"],
        ["Wharf.Core"] = ["Wharf.Oci"],
        ["Wharf.Linux"] = [],
        // Content, Images and the registry fsync the directories they rename into (Linux.DirectorySync).
        ["Wharf.Content"] = ["Wharf.Core", "Wharf.Linux", "Wharf.Oci"],
        ["Wharf.Snapshots"] = ["Wharf.Core", "Wharf.Linux", "Wharf.Oci"],
        ["Wharf.Images"] = ["Wharf.Core", "Wharf.Linux", "Wharf.Oci"],
        ["Wharf.Distribution"] = ["Wharf.Core", "Wharf.Oci"],
        ["Wharf.Engine"] = ["Wharf.Core", "Wharf.Oci"],
        ["Wharf.Build"] = ["Wharf.Core", "Wharf.Oci"],
        ["Wharf.Api.Server"] = ["Wharf.Api", "Wharf.Core", "Wharf.Oci"],
        ["Wharf.Client"] = ["Wharf.Api", "Wharf.Oci"],
        // The CLI drives the local terminal (termios raw mode, window size) for run -it and attach;
        // Linux is a leaf holding every P/Invoke, so the CLI still sees nothing of the engine.
        // `wharf registry serve` hosts the registry server in the CLI process; the registry sees only Oci (and Linux for fsync).
        ["wharf"] = ["Wharf.Client", "Wharf.Api", "Wharf.Linux", "Wharf.Oci", "Wharf.Registry"],
        ["Wharf.Registry"] = ["Wharf.Linux", "Wharf.Oci"],
        ["Wharf.Runtime"] = ["Wharf.Core", "Wharf.Linux", "Wharf.Oci"],
        ["Wharf.Volumes"] = ["Wharf.Core", "Wharf.Linux", "Wharf.Oci"],
        ["Wharf.Networking"] = ["Wharf.Core", "Wharf.Linux", "Wharf.Oci"],
    };

    public static TheoryData<string> Assemblies() => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void ReferencesOnlyWhatTheRuleAllows(string name)
    {
        var asm = Assembly.Load(name);
        var wharfRefs = asm.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Wharf.", StringComparison.Ordinal) || n is "wharf" or "wharfd")
            .ToList();
        var forbidden = wharfRefs.Except(Allowed[name]).ToList();
        Assert.True(forbidden.Count == 0, $"{name} references {string.Join(", ", forbidden)}");
    }

    [Theory]
    [InlineData("Wharf.Core")]
    [InlineData("Wharf.Oci")]
    [InlineData("Wharf.Api")]
    [InlineData("Wharf.Images")]
    [InlineData("Wharf.Content")]
    [InlineData("Wharf.Distribution")]
    [InlineData("Wharf.Volumes")]
    [InlineData("Wharf.Build")]
    [InlineData("Wharf.Networking")]
    public void DoesNotSeeAspNetCore(string name)
    {
        var refs = Assembly.Load(name).GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(refs, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void OnlyLinuxHasUnsafeCodeOrPInvoke()
    {
        foreach (var name in Allowed.Keys.Where(n => n != "Wharf.Linux"))
        {
            var asm = Assembly.Load(name);
            var pinvokes = asm.GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                .Where(m => m.Attributes.HasFlag(MethodAttributes.PinvokeImpl))
                .Select(m => m.DeclaringType!.Name + "." + m.Name)
                .ToList();
            Assert.True(pinvokes.Count == 0, $"{name} declares P/Invoke: {string.Join(", ", pinvokes)}");
        }
    }
}
