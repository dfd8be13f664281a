namespace Wharf.Registry.Gc;

/// <summary>What a garbage collection kept and removed.</summary>
/// <param name="AbortedStrayUploads">Multipart uploads in object storage that no upload session named (in a dry run: that would be).</param>
public sealed record GcReport(int MarkedBlobs, int DeletedBlobs, long FreedBytes, int DeletedLinks, int DeletedManifests, int PurgedUploads, int AbortedStrayUploads = 0);
