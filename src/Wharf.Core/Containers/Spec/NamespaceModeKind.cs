namespace Wharf.Core.Containers.Spec;

public enum NamespaceModeKind
{
    Private,
    Host,
    Join,
    None,
}
