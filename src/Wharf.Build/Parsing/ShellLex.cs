using System.Text;
using Wharf.Core.Errors;

namespace Wharf.Build.Parsing;

/// <summary>
/// Docker's variable substitution for Dockerfile words: <c>$v</c>, <c>${v}</c>,
/// <c>${v:-w}</c>, <c>${v-w}</c>, <c>${v:+w}</c>, <c>${v+w}</c>, <c>${v:?msg}</c>,
/// <c>${v?msg}</c>; single quotes are literal, double quotes allow substitution, the escape
/// token escapes the next character (inside double quotes only <c>"</c>, <c>$</c> and itself).
/// Quotes are removed from the result.
/// </summary>
public sealed class ShellLex(char escape = '\\')
{
    /// <summary>Substitutes and unquotes one word (spaces inside it are kept).</summary>
    public string ProcessWord(string word, Func<string, string?> lookup)
        => string.Concat(Process(word, lookup, split: false));

    /// <summary>Substitutes and splits into words on unquoted whitespace (EXPOSE, VOLUME words).</summary>
    public IReadOnlyList<string> ProcessWords(string word, Func<string, string?> lookup)
        => Process(word, lookup, split: true);

    private List<string> Process(string word, Func<string, string?> lookup, bool split)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(lookup);
        var words = new List<string>();
        var sb = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < word.Length)
        {
            var c = word[i];
            if (split && char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(sb.ToString());
                    sb.Clear();
                    inWord = false;
                }

                i++;
                continue;
            }

            inWord = true;
            if (c == escape)
            {
                if (i + 1 < word.Length)
                {
                    sb.Append(word[i + 1]);
                }

                i += 2;
            }
            else if (c == '\'')
            {
                var end = word.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    throw WharfException.Invalid("unexpected end of statement while looking for matching single-quote");
                }

                sb.Append(word, i + 1, end - i - 1);
                i = end + 1;
            }
            else if (c == '"')
            {
                i = DoubleQuoted(word, i + 1, sb, lookup);
            }
            else if (c == '$')
            {
                i = Variable(word, i, sb, lookup);
            }
            else
            {
                sb.Append(c);
                i++;
            }
        }

        if (inWord || !split)
        {
            words.Add(sb.ToString());
        }

        return words;
    }

    private int DoubleQuoted(string word, int i, StringBuilder sb, Func<string, string?> lookup)
    {
        while (i < word.Length)
        {
            var c = word[i];
            if (c == '"')
            {
                return i + 1;
            }

            if (c == escape)
            {
                if (i + 1 < word.Length && (word[i + 1] == '"' || word[i + 1] == '$' || word[i + 1] == escape))
                {
                    sb.Append(word[i + 1]);
                    i += 2;
                }
                else
                {
                    sb.Append(c);
                    i++;
                }
            }
            else if (c == '$')
            {
                i = Variable(word, i, sb, lookup);
            }
            else
            {
                sb.Append(c);
                i++;
            }
        }

        throw WharfException.Invalid("unexpected end of statement while looking for matching double-quote");
    }

    /// <summary>Expands the variable at <paramref name="i"/> (a '$'); returns the index after it.</summary>
    private int Variable(string word, int i, StringBuilder sb, Func<string, string?> lookup)
    {
        i++;
        if (i >= word.Length)
        {
            sb.Append('$');
            return i;
        }

        if (word[i] != '{')
        {
            var start = i;
            while (i < word.Length && IsNameChar(word[i]))
            {
                i++;
            }

            if (i == start)
            {
                sb.Append('$');
                return i;
            }

            sb.Append(lookup(word[start..i]) ?? "");
            return i;
        }

        i++;
        var nameStart = i;
        while (i < word.Length && IsNameChar(word[i]))
        {
            i++;
        }

        var name = word[nameStart..i];
        if (i >= word.Length)
        {
            throw WharfException.Invalid("missing '}' in variable substitution");
        }

        if (name.Length == 0)
        {
            throw WharfException.Invalid($"bad substitution in \"{word}\"");
        }

        if (word[i] == '}')
        {
            sb.Append(lookup(name) ?? "");
            return i + 1;
        }

        var colon = word[i] == ':';
        if (colon)
        {
            i++;
        }

        if (i >= word.Length || word[i] is not ('-' or '+' or '?'))
        {
            throw WharfException.Invalid($"unsupported modifier in \"{word}\"");
        }

        var op = word[i++];

        // The modifier's word runs to the matching '}' and is itself substituted.
        var depth = 1;
        var wordStart = i;
        while (i < word.Length)
        {
            if (word[i] == escape && i + 1 < word.Length)
            {
                i += 2;
                continue;
            }

            if (word[i] == '{')
            {
                depth++;
            }
            else if (word[i] == '}' && --depth == 0)
            {
                break;
            }

            i++;
        }

        if (i >= word.Length)
        {
            throw WharfException.Invalid("missing '}' in variable substitution");
        }

        var inner = word[wordStart..i];
        var value = lookup(name);
        var set = colon ? !string.IsNullOrEmpty(value) : value is not null;
        switch (op)
        {
            case '-':
                sb.Append(set ? value : ProcessWord(inner, lookup));
                break;
            case '+':
                sb.Append(set ? ProcessWord(inner, lookup) : "");
                break;
            default:
                if (!set)
                {
                    var message = ProcessWord(inner, lookup);
                    throw WharfException.Invalid($"{name}: {(message.Length == 0 ? "is not allowed to be unset" : message)}");
                }

                sb.Append(value);
                break;
        }

        return i + 1;
    }

    private static bool IsNameChar(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);
}
