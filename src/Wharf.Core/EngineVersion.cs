namespace Wharf.Core;

/// <summary>The engine's own version and the Docker API versions it speaks.</summary>
public static class EngineVersion
{
    public const string Version = "0.1.0";

    /// <summary>Newest Docker Engine API version served.</summary>
    public const string MaxApi = "1.47";

    /// <summary>Oldest Docker Engine API version accepted.</summary>
    public const string MinApi = "1.24";

    public const string GitCommit = "wharf";
}
