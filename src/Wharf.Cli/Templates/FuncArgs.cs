using System.Text.Json.Nodes;

namespace Wharf.Cli.Templates;

/// <summary>Go's argument type checks for template functions, with its error wording.</summary>
internal static class FuncArgs
{
    public static string String(object? v) => GoValue.Norm(v) switch
    {
        string s => s,
        null or Missing => throw new FuncException("invalid value; expected string", true),
        var o => throw new FuncException("wrong type for value; expected string; got " + GoValue.TypeName(o), true),
    };

    public static int Int(object? v) => GoValue.Norm(v) switch
    {
        long l => (int)l,
        null or Missing => throw new FuncException("invalid value; expected int", true),
        var o => throw new FuncException("wrong type for value; expected int; got " + GoValue.TypeName(o), true),
    };

    public static string[] StringSlice(object? v)
    {
        switch (GoValue.Norm(v))
        {
            case string[] a:
                return a;
            case JsonArray a when a.All(x => GoValue.Norm(x) is string):
                return a.Select(x => (string)GoValue.Norm(x)!).ToArray();
            case null or Missing:
                return [];
            case var o:
                throw new FuncException("wrong type for value; expected []string; got " + GoValue.TypeName(o), true);
        }
    }
}
