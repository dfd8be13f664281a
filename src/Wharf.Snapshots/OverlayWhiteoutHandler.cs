using System.Text;
using Wharf.Linux;

namespace Wharf.Snapshots;

/// <summary>Writes whiteouts in overlayfs's upper-dir format (char device 0:0, opaque xattr).</summary>
internal sealed class OverlayWhiteoutHandler : IWhiteoutHandler
{
    public const string OpaqueXattr = "trusted.overlay.opaque";

    public static readonly OverlayWhiteoutHandler Instance = new();

    public void Whiteout(string fullPath, uint uid, uint gid)
    {
        FileTree.RemoveAll(fullPath);
        Posix.MakeCharacterDevice(fullPath, 0, 0, 0);
        Posix.LChown(fullPath, uid, gid);
    }

    public void Opaque(string treeRoot, string relativeDirectory, IReadOnlySet<string> writtenByLayer)
        => Posix.LSetXattr(Path.Join(treeRoot, relativeDirectory), OpaqueXattr, "y"u8);
}
