using System.Globalization;

namespace Wharf.Api.Server;

/// <summary>A Docker API version "1.NN", comparable.</summary>
internal readonly record struct ApiVersion(int Major, int Minor) : IComparable<ApiVersion>
{
    public static readonly ApiVersion Max = Parse(Core.EngineVersion.MaxApi);
    public static readonly ApiVersion Min = Parse(Core.EngineVersion.MinApi);

    public static ApiVersion Parse(string s) => TryParse(s, out var v) ? v : throw new FormatException(s);

    public static bool TryParse(string s, out ApiVersion version)
    {
        version = default;
        var dot = s.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !int.TryParse(s.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(s.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return false;
        }

        version = new ApiVersion(major, minor);
        return true;
    }

    public int CompareTo(ApiVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(ApiVersion a, ApiVersion b) => a.CompareTo(b) < 0;

    public static bool operator >(ApiVersion a, ApiVersion b) => a.CompareTo(b) > 0;

    public static bool operator <=(ApiVersion a, ApiVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(ApiVersion a, ApiVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Major}.{Minor}";
}
