namespace Wharf.Core.Containers.Spec;

public enum ContainerMountType
{
    Bind,
    Tmpfs,
}
