namespace Wharf.Client;

/// <summary>Builds request paths the way the docker CLI does: names keep their slashes.</summary>
public static class ApiPath
{
    /// <summary>Escapes each segment of a name such as <c>localhost:5000/app:v1</c> but keeps the '/' separators.</summary>
    public static string Escape(string name) => string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
}
