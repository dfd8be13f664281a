using System.Text;

namespace Wharf.Cli.Templates;

/// <summary>The functions docker adds to every template (docker/cli templates.basicFunctions), and the
/// header variants used to render table headers.</summary>
internal static class DockerFunctions
{
    private static readonly Dictionary<string, TemplateFunction> Basic = Create(header: false);
    private static readonly Dictionary<string, TemplateFunction> Header = Create(header: true);

    public static IReadOnlyDictionary<string, TemplateFunction> All => Basic;

    public static IReadOnlyDictionary<string, TemplateFunction> HeaderFunctions => Header;

    private static Dictionary<string, TemplateFunction> Create(bool header)
    {
        var funcs = new Dictionary<string, TemplateFunction>(StringComparer.Ordinal);
        Builtins.AddTo(funcs);
        void Add(string name, int min, int max, Func<object?[], object?> f) => funcs[name] = new TemplateFunction(name, min, max, f);
        if (header)
        {
            Add("json", 1, 1, a => FuncArgs.String(a[0]));
            Add("split", 2, 2, a => FuncArgs.String(a[0]));
            Add("join", 2, 2, a => FuncArgs.String(a[0]));
            Add("title", 1, 1, a => FuncArgs.String(a[0]));
            Add("lower", 1, 1, a => FuncArgs.String(a[0]));
            Add("upper", 1, 1, a => FuncArgs.String(a[0]));
            Add("pad", 3, 3, a => FuncArgs.String(a[0]));
            Add("truncate", 2, 2, a => FuncArgs.String(a[0]));
            return funcs;
        }
        Add("json", 1, 1, a => GoJson.Serialize(GoValue.Norm(a[0]), escapeHtml: false));
        Add("split", 2, 2, a => Split(FuncArgs.String(a[0]), FuncArgs.String(a[1])));
        Add("join", 2, 2, a => string.Join(FuncArgs.String(a[1]), FuncArgs.StringSlice(a[0])));
        Add("title", 1, 1, a => Title(FuncArgs.String(a[0])));
        Add("lower", 1, 1, a => FuncArgs.String(a[0]).ToLowerInvariant());
        Add("upper", 1, 1, a => FuncArgs.String(a[0]).ToUpperInvariant());
        Add("pad", 3, 3, a => Pad(FuncArgs.String(a[0]), FuncArgs.Int(a[1]), FuncArgs.Int(a[2])));
        Add("truncate", 2, 2, a => Truncate(FuncArgs.String(a[0]), FuncArgs.Int(a[1])));
        return funcs;
    }

    private static string[] Split(string s, string sep)
    {
        if (sep.Length == 0)
        {
            return s.EnumerateRunes().Select(r => r.ToString()).ToArray();
        }
        return s.Split(sep);
    }

    /// <summary>strings.Title: upper-cases the first letter of each word.</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool prevSeparator = true;
        foreach (char c in s)
        {
            sb.Append(prevSeparator ? char.ToUpperInvariant(c) : c);
            prevSeparator = !(char.IsLetterOrDigit(c) || c == '_');
        }
        return sb.ToString();
    }

    private static string Pad(string s, int prefix, int suffix) =>
        s.Length == 0 ? s : new string(' ', Math.Max(prefix, 0)) + s + new string(' ', Math.Max(suffix, 0));

    private static string Truncate(string s, int length) =>
        s.Length < length ? s : s[..Math.Max(length, 0)];
}
