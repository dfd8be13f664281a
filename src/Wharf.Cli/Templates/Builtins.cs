using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Wharf.Cli.Templates;

/// <summary>Go's text/template builtins (and, or are evaluated lazily by the executor).</summary>
internal static class Builtins
{
    public static void AddTo(Dictionary<string, TemplateFunction> funcs)
    {
        Add(funcs, "and", 1, -1, a => a[^1]);
        Add(funcs, "or", 1, -1, a => a[^1]);
        Add(funcs, "not", 1, 1, a => !GoValue.IsTrue(a[0]));
        Add(funcs, "len", 1, 1, a => Len(a[0]));
        Add(funcs, "index", 1, -1, Index);
        Add(funcs, "slice", 1, 3, Slice);
        Add(funcs, "print", 0, -1, a => GoFormat.Sprint(a));
        Add(funcs, "println", 0, -1, a => GoFormat.Sprintln(a));
        Add(funcs, "printf", 1, -1, a => GoFormat.Sprintf(FuncArgs.String(a[0]), a[1..]));
        Add(funcs, "html", 0, -1, a => System.Net.WebUtility.HtmlEncode(GoFormat.Sprint(a)));
        Add(funcs, "js", 0, -1, a => System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(GoFormat.Sprint(a)));
        Add(funcs, "urlquery", 0, -1, a => Uri.EscapeDataString(GoFormat.Sprint(a)).Replace("%20", "+", StringComparison.Ordinal));
        Add(funcs, "eq", 1, -1, Eq);
        Add(funcs, "ne", 2, 2, a => !Equal(a[0], a[1]));
        Add(funcs, "lt", 2, 2, a => Compare(a[0], a[1]) < 0);
        Add(funcs, "le", 2, 2, a => Compare(a[0], a[1]) <= 0);
        Add(funcs, "gt", 2, 2, a => Compare(a[0], a[1]) > 0);
        Add(funcs, "ge", 2, 2, a => Compare(a[0], a[1]) >= 0);
    }

    private static void Add(Dictionary<string, TemplateFunction> funcs, string name, int min, int max, Func<object?[], object?> f) =>
        funcs[name] = new TemplateFunction(name, min, max, f);

    private static object Len(object? v) => GoValue.Norm(v) switch
    {
        string s => (long)Encoding.UTF8.GetByteCount(s),
        string[] a => (long)a.Length,
        JsonArray a => (long)a.Count,
        JsonObject o => (long)o.Count,
        null or Missing => throw new FuncException("len of nil pointer"),
        var o => throw new FuncException("len of type " + GoValue.TypeName(o)),
    };

    private static object? Index(object?[] a)
    {
        object? item = GoValue.Norm(a[0]);
        if (item is null or Missing)
        {
            throw new FuncException("index of untyped nil");
        }
        foreach (var raw in a.Skip(1))
        {
            var key = GoValue.Norm(raw);
            switch (item)
            {
                case JsonArray arr:
                    item = GoValue.Norm(arr[CheckIndex(key, arr.Count)]);
                    break;
                case string[] sa:
                    item = sa[CheckIndex(key, sa.Length)];
                    break;
                case string s:
                    item = (long)Encoding.UTF8.GetBytes(s)[CheckIndex(key, Encoding.UTF8.GetByteCount(s))];
                    break;
                case JsonObject o:
                    if (key is not string k)
                    {
                        throw new FuncException("value has type " + GoValue.TypeName(key) + "; should be string");
                    }
                    if (o.TryGetPropertyValue(k, out var v))
                    {
                        item = GoValue.Norm(v);
                    }
                    else
                    {
                        // A missing key gives the element type's zero value; label-style maps are map[string]string.
                        item = o.All(kv => kv.Value is JsonValue jv && jv.GetValueKind() == System.Text.Json.JsonValueKind.String) ? "" : Missing.Value;
                    }
                    break;
                case TemplateStruct:
                    throw new FuncException("can't index item of type " + GoValue.TypeName(item));
                case null or Missing:
                    throw new FuncException("index of nil pointer");
                default:
                    throw new FuncException("can't index item of type " + GoValue.TypeName(item));
            }
        }
        return item;
    }

    private static int CheckIndex(object? key, int length)
    {
        if (key is not long l)
        {
            throw new FuncException("cannot index slice/array with type " + GoValue.TypeName(key));
        }
        if (l < 0 || l >= length)
        {
            throw new FuncException(string.Create(CultureInfo.InvariantCulture, $"index out of range: {l}"));
        }
        return (int)l;
    }

    private static object? Slice(object?[] a)
    {
        var item = GoValue.Norm(a[0]);
        int len = item switch
        {
            string s => s.Length,
            JsonArray arr => arr.Count,
            string[] sa => sa.Length,
            _ => throw new FuncException("can't slice item of type " + GoValue.TypeName(item)),
        };
        int from = a.Length > 1 ? FuncArgs.Int(a[1]) : 0;
        int to = a.Length > 2 ? FuncArgs.Int(a[2]) : len;
        if (from < 0 || to < from || to > len)
        {
            throw new FuncException(string.Create(CultureInfo.InvariantCulture, $"index out of range: {(to > len ? to : from)}"));
        }
        return item switch
        {
            string s => s[from..to],
            string[] sa => sa[from..to],
            JsonArray arr => new JsonArray(arr.Skip(from).Take(to - from).Select(n => n?.DeepClone()).ToArray()),
            _ => null,
        };
    }

    private static object Eq(object?[] a)
    {
        for (int i = 1; i < a.Length; i++)
        {
            if (Equal(a[0], a[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Equal(object? x, object? y)
    {
        x = GoValue.Norm(x);
        y = GoValue.Norm(y);
        if (GoValue.IsNil(x) || GoValue.IsNil(y))
        {
            return GoValue.IsNil(x) && GoValue.IsNil(y);
        }
        return (x, y) switch
        {
            (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
            (long a, long b) => a == b,
            (double a, double b) => a == b,
            (bool a, bool b) => a == b,
            (JsonArray or JsonObject or string[] or TemplateStruct, _) => throw new FuncException("non-comparable type " + GoValue.Print(x) + ": " + GoValue.TypeName(x)),
            (_, JsonArray or JsonObject or string[] or TemplateStruct) => throw new FuncException("non-comparable type " + GoValue.Print(y) + ": " + GoValue.TypeName(y)),
            _ => throw new FuncException("incompatible types for comparison"),
        };
    }

    private static int Compare(object? x, object? y)
    {
        x = GoValue.Norm(x);
        y = GoValue.Norm(y);
        return (x, y) switch
        {
            (string a, string b) => string.CompareOrdinal(a, b),
            (long a, long b) => a.CompareTo(b),
            (double a, double b) => a.CompareTo(b),
            (string or long or double, string or long or double) => throw new FuncException("incompatible types for comparison"),
            _ => throw new FuncException("invalid type for comparison"),
        };
    }
}
