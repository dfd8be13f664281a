namespace Wharf.Core.Snapshots;

/// <summary>
/// The committed snapshot that containers of an image without layers (a build's metadata on
/// <c>FROM scratch</c>) are made on: an empty directory, keyed by the digest of an empty tar
/// (two zero blocks), which is also the chain ID of an image whose one layer is that tar.
/// </summary>
public static class EmptyRootfs
{
    public const string SnapshotKey = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef";

    /// <summary>The layer that makes it: a tar with no entries.</summary>
    public static Stream OpenTar() => new MemoryStream(new byte[1024], writable: false);
}
