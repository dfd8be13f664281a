namespace Wharf.Images;

/// <summary>Go's path.Match: <c>*</c> and <c>?</c> do not cross '/', <c>[...]</c> classes, backslash escapes.</summary>
internal static class GlobMatch
{
    public static bool PathMatch(string pattern, string name) => Match(pattern, 0, name, 0);

    private static bool Match(string p, int pi, string s, int si)
    {
        while (pi < p.Length)
        {
            var c = p[pi];
            switch (c)
            {
                case '*':
                    pi++;
                    for (var k = si; k <= s.Length; k++)
                    {
                        if (Match(p, pi, s, k))
                        {
                            return true;
                        }

                        if (k < s.Length && s[k] == '/')
                        {
                            return false;
                        }
                    }

                    return false;
                case '?':
                    if (si >= s.Length || s[si] == '/')
                    {
                        return false;
                    }

                    pi++;
                    si++;
                    break;
                case '[':
                    if (si >= s.Length || s[si] == '/')
                    {
                        return false;
                    }

                    var end = p.IndexOf(']', pi + 1);
                    if (end < 0)
                    {
                        return false;
                    }

                    var cls = p[(pi + 1)..end];
                    var negate = cls.StartsWith('^') || cls.StartsWith('!');
                    if (negate)
                    {
                        cls = cls[1..];
                    }

                    var hit = false;
                    for (var i = 0; i < cls.Length; i++)
                    {
                        if (i + 2 < cls.Length && cls[i + 1] == '-')
                        {
                            hit |= s[si] >= cls[i] && s[si] <= cls[i + 2];
                            i += 2;
                        }
                        else
                        {
                            hit |= s[si] == cls[i];
                        }
                    }

                    if (hit == negate)
                    {
                        return false;
                    }

                    pi = end + 1;
                    si++;
                    break;
                case '\\' when pi + 1 < p.Length:
                    if (si >= s.Length || s[si] != p[pi + 1])
                    {
                        return false;
                    }

                    pi += 2;
                    si++;
                    break;
                default:
                    if (si >= s.Length || s[si] != c)
                    {
                        return false;
                    }

                    pi++;
                    si++;
                    break;
            }
        }

        return si == s.Length;
    }
}
