namespace Wharf.Api.Containers;

/// <summary>Time values as Docker writes them in container documents.</summary>
public static class ContainerTimes
{
    /// <summary>Go's zero <c>time.Time</c>: what dockerd writes for a time that is not set (never null).</summary>
    public const string Zero = "0001-01-01T00:00:00Z";
}
