using System.Text;
using Microsoft.AspNetCore.Http;

namespace Wharf.Registry.Auth;

internal static class BasicCredentials
{
    /// <summary>The user and password of an <c>Authorization: Basic</c> header, or null.</summary>
    public static (string User, string Password)? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
