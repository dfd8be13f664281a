namespace Wharf.Core;

/// <summary>The engine's own version and the Docker API versions it speaks.</summary>
public static class EngineVersion
{
    /// <summary>The product version (Directory.Build.props), without the commit suffix.</summary>
    public static string Version { get; } = Informational.Split('+')[0];

    /// <summary>Newest Docker Engine API version served.</summary>
    public const string MaxApi = "1.47";

    /// <summary>Oldest Docker Engine API version accepted.</summary>
    public const string MinApi = "1.24";

    /// <summary>The commit built from, when build.sh passed it in; "unknown" otherwise.</summary>
    public static string GitCommit { get; } = Informational.Contains('+', StringComparison.Ordinal) ? Informational.Split('+')[1] : "unknown";

    private static string Informational => typeof(EngineVersion).Assembly
        .GetCustomAttributes(typeof(global::System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<global::System.Reflection.AssemblyInformationalVersionAttribute>()
        .FirstOrDefault()?.InformationalVersion ?? "0.1.0";
}
