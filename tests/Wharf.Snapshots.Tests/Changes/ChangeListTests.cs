using Wharf.Core.Containers.Files;
using Wharf.Linux;
using Wharf.Snapshots.Changes;

namespace Wharf.Snapshots.Tests.Changes;

/// <summary>Docker's change rules over synthetic trees (no file system).</summary>
public sealed class ChangeListTests
{
    private static readonly IReadOnlySet<string> InitLayer = new HashSet<string>(StringComparer.Ordinal)
    {
        "/dev", "/proc", "/sys", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
    };

    private static FileStatus Dir(long mtime = 100, uint mode = 0x41ED) => new(mode, 0, 0, 4096, 1, 2, 0, 0, 0, 0, mtime, 0, mtime, 0);

    private static FileStatus File(long size = 1, long mtime = 100, uint mode = 0x81A4) => new(mode, 0, 0, (ulong)size, 1, 1, 0, 0, 0, 0, mtime, 0, mtime, 0);

    private static DiffNode Node(string path, FileStatus? upper, FileStatus? lower, params DiffNode[] children)
    {
        var node = new DiffNode { Path = path, Upper = upper, Lower = lower };
        node.Children.AddRange(children);
        return node;
    }

    private static string Render(DiffNode root, ChangeRules rules, IReadOnlySet<string>? mountpoints = null)
        => string.Join(' ', ChangeList.Compute(root, mountpoints ?? InitLayer, rules).Select(c => $"{"CAD"[(int)c.Change.Kind]}{c.Change.Path}"));

    [Fact]
    public void AddedModifiedAndDeletedInWalkOrder()
    {
        var root = Node("/", Dir(), Dir(),
            Node("/a", Dir(200), null, Node("/a/new", File(), null)),
            Node("/etc", Dir(300), Dir(100),
                new DiffNode { Path = "/etc/group", Lower = File(), Deleted = true },
                Node("/etc/passwd", File(5), File(4))),
            Node("/z", File(), null));
        Assert.Equal("A/a A/a/new C/etc D/etc/group C/etc/passwd A/z", Render(root, ChangeRules.Overlay));
    }

    [Fact]
    public void AnUnchangedDirectoryIsListedBeforeWhatItGainedOrLost()
    {
        var root = Node("/", Dir(), Dir(),
            Node("/etc", Dir(100), Dir(100),
                new DiffNode { Path = "/etc/gone", Lower = File(), Deleted = true },
                Node("/etc/added", File(), null)),
            Node("/tmp", Dir(100), Dir(100), Node("/tmp/changed", File(9), File(1))));

        // A modified file alone does not list its parent (Docker's overlay rule).
        Assert.Equal("C/etc D/etc/gone A/etc/added C/tmp/changed", Render(root, ChangeRules.Overlay));
    }

    [Fact]
    public void RuntimeMountPointsAreNotChanges()
    {
        var root = Node("/", Dir(), Dir(),
            Node("/dev", Dir(), null),
            Node("/etc", Dir(500), null,
                Node("/etc/hostname", File(0), null),
                Node("/etc/hosts", File(0), null)),
            Node("/proc", Dir(), null),
            Node("/run", Dir(), null));
        Assert.Equal("A/run", Render(root, ChangeRules.Overlay));
    }

    [Fact]
    public void MountPointsDoNotMakeTheirParentsNewTimeAChange()
    {
        var root = Node("/", Dir(), Dir(),
            Node("/etc", Dir(999), Dir(100), Node("/etc/hosts", File(0), null)));
        Assert.Equal(string.Empty, Render(root, ChangeRules.Overlay));

        root = Node("/", Dir(), Dir(),
            Node("/etc", Dir(999), Dir(100), Node("/etc/hosts", File(0), null), new DiffNode { Path = "/etc/group", Lower = File(), Deleted = true }));
        Assert.Equal("C/etc D/etc/group", Render(root, ChangeRules.Overlay));
    }

    [Fact]
    public void AMountPointWithContentIsAChange()
    {
        var root = Node("/", Dir(), Dir(), Node("/etc", Dir(), Dir(), Node("/etc/hosts", File(12), null)));
        Assert.Equal("C/etc A/etc/hosts", Render(root, ChangeRules.Overlay));
    }

    [Fact]
    public void OverlayDirectoryTimesCountCopiedTreesDoNot()
    {
        var root = Node("/", Dir(), Dir(), Node("/tmp", Dir(200), Dir(100)));
        Assert.Equal("C/tmp", Render(root, ChangeRules.Overlay));
        Assert.Equal(string.Empty, Render(root, ChangeRules.Tree));
    }

    [Fact]
    public void CopiedTreesCompareFiles()
    {
        var root = Node("/", Dir(), Dir(),
            Node("/bin", Dir(), Dir(), Node("/bin/same", File(5, 100), File(5, 100)), Node("/bin/grown", File(6, 100), File(5, 100))),
            Node("/mode", File(1, 100, 0x81ED), File(1, 100, 0x81A4)));
        Assert.Equal("C/bin/grown C/mode", Render(root, ChangeRules.Tree));
        Assert.Equal("C/bin/same C/bin/grown C/mode", Render(root, ChangeRules.Overlay));
    }

    [Fact]
    public void ADeletedDirectoryIsOneChange()
    {
        var root = Node("/", Dir(), Dir(), new DiffNode { Path = "/var", Lower = Dir(), Deleted = true });
        Assert.Equal("D/var", Render(root, ChangeRules.Tree));
        Assert.Equal(FileChangeKind.Deleted, ChangeList.Compute(root, InitLayer, ChangeRules.Tree)[0].Change.Kind);
    }
}
