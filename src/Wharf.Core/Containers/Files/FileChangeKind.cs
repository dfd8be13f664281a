namespace Wharf.Core.Containers.Files;

/// <summary>Docker's change kinds, with its wire numbers.</summary>
public enum FileChangeKind
{
    Modified = 0,
    Added = 1,
    Deleted = 2,
}
