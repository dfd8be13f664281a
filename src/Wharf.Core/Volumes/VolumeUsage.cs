namespace Wharf.Core.Volumes;

/// <summary>
/// A volume with its disk usage as <c>/system/df</c> reports it: <see cref="Size"/> is the
/// bytes of its files (hard links once), -1 when it could not be measured; <see cref="RefCount"/>
/// is the number of containers referencing it.
/// </summary>
public sealed record VolumeUsage(VolumeRecord Volume, long Size, int RefCount);
