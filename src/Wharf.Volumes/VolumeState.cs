using Wharf.Core.Volumes;

namespace Wharf.Volumes;

/// <summary>A volume and what uses it right now (in memory; references are rebuilt from the containers at start).</summary>
internal sealed class VolumeState
{
    public VolumeState(VolumeRecord record) => Record = record;

    public VolumeRecord Record { get; }

    /// <summary>Containers referencing the volume; any reference blocks removal.</summary>
    public HashSet<string> References { get; } = new(StringComparer.Ordinal);

    /// <summary>Mount references (container IDs, or a temporary one while filling the volume).</summary>
    public HashSet<string> ActiveMounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the volume's device is mounted at its data path.</summary>
    public bool Mounted { get; set; }

    public bool NeedsMount => LocalDriverOptions.NeedsMount(Record.Options);
}
