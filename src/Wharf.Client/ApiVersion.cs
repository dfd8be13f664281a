using System.Globalization;

namespace Wharf.Client;

/// <summary>Docker API versions ("1.47") compared numerically.</summary>
public static class ApiVersion
{
    public const string ClientMax = "1.47";

    public static int Compare(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var pa = a.Split('.');
        var pb = b.Split('.');
        for (int i = 0; i < Math.Max(pa.Length, pb.Length); i++)
        {
            int x = i < pa.Length && int.TryParse(pa[i], NumberStyles.None, CultureInfo.InvariantCulture, out var xa) ? xa : 0;
            int y = i < pb.Length && int.TryParse(pb[i], NumberStyles.None, CultureInfo.InvariantCulture, out var yb) ? yb : 0;
            if (x != y)
            {
                return x.CompareTo(y);
            }
        }
        return 0;
    }

    /// <summary>The version to use: the lower of the server's and the client's maximum.</summary>
    public static string Negotiate(string? serverVersion, string clientMax = ClientMax)
    {
        if (string.IsNullOrEmpty(serverVersion))
        {
            // Docker assumes 1.24 when the server does not say.
            return "1.24";
        }
        return Compare(serverVersion, clientMax) < 0 ? serverVersion : clientMax;
    }
}
