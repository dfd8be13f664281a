using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wharf.Cli.Templates;

/// <summary>The value model of the template engine: null (Go nil), <see cref="Missing"/>, string, long,
/// double, bool, string[], JsonArray (slice), JsonObject (map) and <see cref="TemplateStruct"/>.</summary>
internal static class GoValue
{
    /// <summary>Turns JSON leaves into CLR primitives; containers stay JsonObject/JsonArray.</summary>
    public static object? Norm(object? value)
    {
        if (value is not JsonValue jv)
        {
            return value;
        }
        switch (jv.GetValueKind())
        {
            case JsonValueKind.String:
                return jv.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                if (jv.TryGetValue<long>(out long l))
                {
                    return l;
                }
                if (jv.TryGetValue<int>(out int i))
                {
                    return (long)i;
                }
                if (jv.TryGetValue<double>(out double d))
                {
                    return d == Math.Floor(d) && Math.Abs(d) < 9e18 && !jv.ToJsonString().Contains('.', StringComparison.Ordinal) ? (long)d : d;
                }
                return double.Parse(jv.ToJsonString(), CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }

    public static bool IsNil(object? v) => v is null or Missing;

    public static string TypeName(object? v) => v switch
    {
        null or Missing => "<nil>",
        string => "string",
        long => "int",
        double => "float64",
        bool => "bool",
        string[] => "[]string",
        JsonArray => "[]interface {}",
        JsonObject => "map[string]interface {}",
        TemplateStruct s => s.GoTypeName,
        _ => v.GetType().Name,
    };

    public static bool IsTrue(object? v) => v switch
    {
        null or Missing => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        double d => d != 0,
        string[] a => a.Length > 0,
        JsonArray a => a.Count > 0,
        JsonObject o => o.Count > 0,
        _ => true,
    };

    /// <summary>fmt's %v.</summary>
    public static string Print(object? v)
    {
        var sb = new StringBuilder();
        Print(sb, v);
        return sb.ToString();
    }

    public static void Print(StringBuilder sb, object? v)
    {
        switch (Norm(v))
        {
            case null:
                sb.Append("<nil>");
                break;
            case Missing:
                sb.Append("<no value>");
                break;
            case string s:
                sb.Append(s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(GoFloat.Format(d, 'g', -1));
                break;
            case string[] a:
                sb.Append('[').AppendJoin(' ', a).Append(']');
                break;
            case JsonArray a:
                sb.Append('[');
                for (int i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(' ');
                    }
                    Print(sb, a[i]);
                }
                sb.Append(']');
                break;
            case JsonObject o:
                PrintMap(sb, o);
                break;
            case TemplateStruct t:
                sb.Append("&{");
                bool first = true;
                foreach (var kv in t.Fields)
                {
                    if (!first)
                    {
                        sb.Append(' ');
                    }
                    first = false;
                    Print(sb, kv.Value);
                }
                sb.Append('}');
                break;
            case var other:
                sb.Append(Convert.ToString(other, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void PrintMap(StringBuilder sb, JsonObject o)
    {
        sb.Append("map[");
        bool first = true;
        foreach (var kv in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                sb.Append(' ');
            }
            first = false;
            sb.Append(kv.Key).Append(':');
            Print(sb, kv.Value);
        }
        sb.Append(']');
    }
}
