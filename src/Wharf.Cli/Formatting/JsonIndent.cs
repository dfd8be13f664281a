using System.Text;

namespace Wharf.Cli.Formatting;

/// <summary>Go's json.Indent: re-indents raw JSON text without touching string contents or escapes.</summary>
internal static class JsonIndent
{
    public static string Indent(string json, string indent = "    ")
    {
        var sb = new StringBuilder(json.Length * 2);
        int depth = 0;
        bool inString = false, escape = false, needIndent = false;
        foreach (char c in json)
        {
            if (inString)
            {
                sb.Append(c);
                if (escape)
                {
                    escape = false;
                }
                else if (c == '\\')
                {
                    escape = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                continue;
            }
            if (needIndent && c is not (']' or '}'))
            {
                needIndent = false;
                NewLine(sb, indent, depth);
            }
            switch (c)
            {
                case '"':
                    inString = true;
                    sb.Append(c);
                    break;
                case '{' or '[':
                    sb.Append(c);
                    depth++;
                    needIndent = true;
                    break;
                case '}' or ']':
                    depth--;
                    if (needIndent)
                    {
                        needIndent = false;
                    }
                    else
                    {
                        NewLine(sb, indent, depth);
                    }
                    sb.Append(c);
                    break;
                case ',':
                    sb.Append(c);
                    NewLine(sb, indent, depth);
                    break;
                case ':':
                    sb.Append(": ");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, string indent, int depth)
    {
        sb.Append('\n');
        for (int i = 0; i < depth; i++)
        {
            sb.Append(indent);
        }
    }
}
