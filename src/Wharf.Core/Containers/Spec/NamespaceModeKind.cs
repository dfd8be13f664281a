namespace Wharf.Core.Containers.Spec;

public enum NamespaceModeKind
{
    Private,
    Host,
    Join,
    None,

    /// <summary>A namespace the engine prepared for the container (see <see cref="NamespaceMode.Prepared"/>).</summary>
    Prepared,
}
