using Wharf.Core.Containers;
using Wharf.Core.Errors;
using Wharf.Engine.Containers;
using Wharf.Oci;
using Wharf.Oci.Image;

namespace Wharf.Engine.Tests;

public sealed class ContainerStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wharf-cstore-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ContainerRecord New(string name) => new()
    {
        Id = ContainerNames.NewId(),
        Name = name,
        Created = DateTimeOffset.UtcNow,
        ImageId = Digest.ComputeSha256("img"u8),
        Config = new ContainerConfig { Image = "busybox", Cmd = ["sh"] },
        Host = new ContainerHostSettings { NetworkMode = "none", RestartPolicy = new RestartPolicy("on-failure", 3) },
    };

    [Fact]
    public void PersistsAndReloads()
    {
        var store = new ContainerStore(_dir);
        var rec = New("web");
        store.Add(rec);
        store.Update(rec.Id, r => r with { State = r.State with { Status = "exited", ExitCode = 3 } });

        var again = new ContainerStore(_dir);
        Assert.Empty(again.Load());
        var loaded = again.Resolve("web");
        Assert.Equal(rec.Id, loaded.Id);
        Assert.Equal(3, loaded.State.ExitCode);
        Assert.Equal(rec.ImageId, loaded.ImageId);
        Assert.Equal(["sh"], loaded.Config.Cmd);
        Assert.Equal(new RestartPolicy("on-failure", 3), loaded.Host.RestartPolicy);
    }

    [Fact]
    public void ResolvesByIdNameAndPrefix()
    {
        var store = new ContainerStore(_dir);
        var rec = New("db");
        store.Add(rec);
        Assert.Equal(rec.Id, store.Resolve(rec.Id).Id);
        Assert.Equal(rec.Id, store.Resolve("/db").Id);
        Assert.Equal(rec.Id, store.Resolve(rec.Id[..6]).Id);
        var e = Assert.Throws<WharfException>(() => store.Resolve("nope"));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal("No such container: nope", e.Message);
    }

    [Fact]
    public void NamesAreUniqueAcrossAddAndRename()
    {
        var store = new ContainerStore(_dir);
        var a = New("a1");
        var b = New("b1");
        store.Add(a);
        store.Add(b);
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<WharfException>(() => store.Add(New("a1"))).Kind);
        Assert.Equal(ErrorKind.Conflict, Assert.Throws<WharfException>(() => store.Update(b.Id, r => r with { Name = "a1" })).Kind);
        store.Update(b.Id, r => r with { Name = "c1" });
        Assert.False(store.NameTaken("b1"));
        Assert.Equal(b.Id, store.Resolve("c1").Id);
        store.Remove(a.Id);
        Assert.False(store.NameTaken("a1"));
        Assert.False(Directory.Exists(store.DirectoryOf(a.Id)));
    }

    [Fact]
    public void BrokenDirectoriesAreReported()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "halfmade"));
        File.WriteAllText(Path.Combine(_dir, "halfmade", "config.json"), "{not json");
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        var store = new ContainerStore(_dir);
        Assert.Equal(["empty", "halfmade"], store.Load().Order());
    }
}
