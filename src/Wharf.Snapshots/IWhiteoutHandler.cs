namespace Wharf.Snapshots;

/// <summary>
/// What the layer applier does with OCI whiteout entries: the overlay snapshotter records them
/// in overlayfs's upper-dir format, the copying one deletes the hidden files.
/// </summary>
internal interface IWhiteoutHandler
{
    /// <summary>Handles <c>dir/.wh.name</c>; <paramref name="fullPath"/> is dir/name in the tree.</summary>
    void Whiteout(string fullPath, uint uid, uint gid);

    /// <summary>
    /// Handles <c>dir/.wh..wh..opq</c>. The directory exists. <paramref name="writtenByLayer"/>
    /// holds the relative paths this layer has written so far, which the opaque marker must not hide.
    /// </summary>
    void Opaque(string treeRoot, string relativeDirectory, IReadOnlySet<string> writtenByLayer);
}
