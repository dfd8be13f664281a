namespace Wharf.Runtime.Spec;

public enum ContainerMountType
{
    Bind,
    Tmpfs,
}
