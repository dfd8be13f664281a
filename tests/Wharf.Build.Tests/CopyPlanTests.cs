namespace Wharf.Build.Tests;

public sealed class CopyPlanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wharf-copyplan-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ContextDir Context()
    {
        foreach (var f in new[] { "x/a.txt", "x/b.md", "y/z/c.txt", "top.txt" })
        {
            var path = Path.Combine(_dir, "ctx", f);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, f);
        }

        return ContextDir.Adopt(Path.Combine(_dir, "ctx"));
    }

    [Fact]
    public void ParentsKeepContextPathsOrPathsBelowAPivot()
    {
        var ctx = Context();
        var plan = CopyPlan.Create(ctx, ["x/a.txt", "./y/./z", "top.txt"], [], "COPY", parents: true);
        Assert.True(plan.Parents);
        Assert.Equal(["x/a.txt", "z", "top.txt"], Enumerable.Range(0, plan.Count).Select(plan.Preserved));
        Assert.Equal(["dst/x", "dst/z"], plan.ParentDirs("/dst"));
        Assert.False(CopyPlan.Create(ctx, ["x/a.txt"], [], "COPY").Parents);
    }

    [Fact]
    public void ExcludeDropsWildcardMatchesAndEntriesBelowDirectories()
    {
        var ctx = Context();
        var glob = CopyPlan.Create(ctx, ["x/*"], ["*.md"], "COPY");
        Assert.Equal(["x/a.txt"], glob.Sources);
        var all = CopyPlan.Create(ctx, ["x"], [], "COPY");
        var excluded = CopyPlan.Create(ctx, ["x"], ["*.md"], "COPY");
        Assert.NotEqual(all.Checksum, excluded.Checksum);
        Assert.Equal(["a.txt"], CopyPlan.Walk(excluded.FullPath(0), "", new Parsing.DockerIgnore(["*.md"])).Select(e => e.Rel));
    }
}
