namespace Wharf.Snapshots.Tests;

/// <summary>A merged, readable view of a snapshot chain; disposing unmounts it if it was mounted.</summary>
internal sealed class SnapshotView(string path, Action? release) : IDisposable
{
    public string Path { get; } = path;

    public void Dispose() => release?.Invoke();
}
