namespace Wharf.Runtime.Tests.Driver;

/// <summary>The driver tests run real containers; one at a time keeps a 2-core box honest.</summary>
[CollectionDefinition(Name)]
public sealed class DriverCollection
{
    public const string Name = "runtime-driver";
}
