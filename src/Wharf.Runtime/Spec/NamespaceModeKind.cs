namespace Wharf.Runtime.Spec;

public enum NamespaceModeKind
{
    Private,
    Host,
    Join,
    None,
}
