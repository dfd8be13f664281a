using System.Net.Http.Headers;

namespace Wharf.Distribution;

/// <summary>A parsed <c>WWW-Authenticate</c> header: the scheme and its parameters.</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Get(string name) => Parameters.TryGetValue(name, out var v) ? v : null;

    public static AuthChallenge? From(HttpResponseMessage response)
    {
        foreach (var h in response.Headers.WwwAuthenticate)
        {
            if (h.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || h.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                return new AuthChallenge(h.Scheme.ToLowerInvariant(), ParseParameters(h.Parameter));
            }
        }

        return null;
    }

    public static AuthChallenge? From(AuthenticationHeaderValue? h)
        => h is null ? null : new AuthChallenge(h.Scheme.ToLowerInvariant(), ParseParameters(h.Parameter));

    /// <summary>Parses <c>realm="...",service="...",scope="a,b"</c> (quoted values may hold commas).</summary>
    internal static Dictionary<string, string> ParseParameters(string? s)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(s))
        {
            return result;
        }

        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && (s[i] == ',' || s[i] == ' '))
            {
                i++;
            }

            var eq = s.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var key = s[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < s.Length && s[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < s.Length && s[i] != '"')
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                    {
                        i++;
                    }

                    sb.Append(s[i]);
                    i++;
                }

                i++;
                value = sb.ToString();
            }
            else
            {
                var end = s.IndexOf(',', i);
                end = end < 0 ? s.Length : end;
                value = s[i..end].Trim();
                i = end;
            }

            result[key] = value;
        }

        return result;
    }
}
