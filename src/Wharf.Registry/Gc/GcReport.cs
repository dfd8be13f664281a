namespace Wharf.Registry.Gc;

/// <summary>What a garbage collection kept and removed.</summary>
public sealed record GcReport(int MarkedBlobs, int DeletedBlobs, long FreedBytes, int DeletedLinks, int DeletedManifests, int PurgedUploads);
