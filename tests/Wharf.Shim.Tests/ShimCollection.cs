namespace Wharf.Shim.Tests;

/// <summary>The shim tests run real containers; one at a time keeps timing assertions honest on a 2-core box.</summary>
[CollectionDefinition(Name)]
public sealed class ShimCollection
{
    public const string Name = "wharf-shim";
}
