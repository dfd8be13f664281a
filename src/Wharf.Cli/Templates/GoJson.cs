using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Wharf.Cli.Templates;

/// <summary>Writes values as Go's encoding/json does: compact, object keys in document order (typed
/// structs) or sorted (maps and docker's formatter contexts), optional HTML escaping.</summary>
internal static class GoJson
{
    public static string Serialize(object? value, bool escapeHtml)
    {
        var sb = new StringBuilder();
        Write(sb, value, escapeHtml);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, bool escapeHtml)
    {
        switch (value)
        {
            case null or Missing:
                sb.Append("null");
                break;
            case JsonValue jv when jv.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                sb.Append(jv.ToJsonString());
                break;
            case JsonValue jv:
                Write(sb, GoValue.Norm(jv), escapeHtml);
                break;
            case string s:
                WriteString(sb, s, escapeHtml);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case string[] a:
                WriteArray(sb, a, escapeHtml);
                break;
            case JsonArray a:
                WriteArray(sb, a, escapeHtml);
                break;
            case JsonObject o:
                WriteObject(sb, o, escapeHtml, sorted: false);
                break;
            case TemplateStruct t:
                // docker's formatter contexts marshal through a map with json.Marshal: sorted keys, HTML escaped.
                WriteObject(sb, t.Fields, escapeHtml: true, sorted: true);
                break;
            default:
                WriteString(sb, GoValue.Print(value), escapeHtml);
                break;
        }
    }

    private static void WriteArray<T>(StringBuilder sb, IEnumerable<T> items, bool escapeHtml)
    {
        sb.Append('[');
        bool first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                sb.Append(',');
            }
            first = false;
            Write(sb, item, escapeHtml);
        }
        sb.Append(']');
    }

    private static void WriteObject(StringBuilder sb, JsonObject o, bool escapeHtml, bool sorted)
    {
        sb.Append('{');
        bool first = true;
        IEnumerable<KeyValuePair<string, JsonNode?>> items = sorted ? o.OrderBy(kv => kv.Key, StringComparer.Ordinal) : o;
        foreach (var kv in items)
        {
            if (!first)
            {
                sb.Append(',');
            }
            first = false;
            WriteString(sb, kv.Key, escapeHtml);
            sb.Append(':');
            Write(sb, kv.Value, escapeHtml);
        }
        sb.Append('}');
    }

    public static void WriteString(StringBuilder sb, string s, bool escapeHtml)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\u2028': sb.Append("\\u2028"); break;
                case '\u2029': sb.Append("\\u2029"); break;
                case '<' or '>' or '&' when escapeHtml:
                    sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }
}
