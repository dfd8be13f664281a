namespace Wharf.Cli.Cli;

/// <summary>How many positional arguments a command takes, with docker's (cli/required.go) wording.</summary>
internal sealed record ArgsRule(int Min, int Max)
{
    public static readonly ArgsRule None = new(0, 0);

    public static ArgsRule Exactly(int n) => new(n, n);

    public static ArgsRule AtLeast(int n) => new(n, int.MaxValue);

    public static ArgsRule AtMost(int n) => new(0, n);

    /// <summary>The complaint about <paramref name="count"/> arguments, or null when acceptable; "See" or
    /// "Run" is the verb docker uses in the hint line.</summary>
    public (string Message, string HintVerb)? Check(int count, string path)
    {
        static string Args(int n) => n == 1 ? "argument" : "arguments";
        if (count >= Min && count <= Max)
        {
            return null;
        }
        if (Max == 0)
        {
            return ($"'{path}' accepts no arguments", "Run");
        }
        if (Min == Max)
        {
            return ($"'{path}' requires {Min} {Args(Min)}", "Run");
        }
        if (Max == int.MaxValue)
        {
            return ($"'{path}' requires at least {Min} {Args(Min)}", "See");
        }
        if (Min == 0)
        {
            return ($"'{path}' requires at most {Max} {Args(Max)}", "Run");
        }
        return ($"'{path}' requires at least {Min} and at most {Max} {Args(Max)}", "Run");
    }
}
