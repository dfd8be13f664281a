using System.Globalization;
using System.Text.RegularExpressions;
using Wharf.Core.Containers.Stats;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

/// <summary>
/// docker top's handling of ps (moby daemon/top_unix.go as of 20.10): argument checks, the
/// <c>-q</c> PID filter, and parsing the output into titles and the container's rows.
/// </summary>
internal static partial class PsOutput
{
    /// <summary>ASCII whitespace only, like Go's regexp \s and moby's fieldsASCII.</summary>
    private static readonly char[] Blanks = ['\t', '\n', '\f', '\r', ' '];

    /// <summary>Refuses aliasing another column as PID (<c>-o user=PID</c>), which would fool the PID filter.</summary>
    public static void ValidateArgs(string psArgs)
    {
        foreach (Match m in PidAlias().Matches(psArgs))
        {
            if (m.Groups[1].Value != "pid")
            {
                throw new WharfException(ErrorKind.Internal, $"specifying \"{m.Groups[1].Value}={m.Groups[2].Value}\" is not allowed");
            }
        }
    }

    [GeneratedRegex("[\t\n\f\r ]+([^\t\n\f\r ]*)=[\t\n\f\r ]*(PID[^\t\n\f\r ]*)", RegexOptions.CultureInvariant)]
    private static partial Regex PidAlias();

    /// <summary>Docker splits ps_args on single spaces (an empty argument stays).</summary>
    public static List<string> SplitArgs(string psArgs) => [.. psArgs.Split(' ')];

    /// <summary>ps's <c>-q</c> with the PIDs, one argument: <c>-q1,2,3</c>.</summary>
    public static string PidsArg(IReadOnlyList<int> pids) => "-q" + string.Join(',', pids.Select(p => p.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// The first line gives the titles; a row is kept when its PID column is one of
    /// <paramref name="pids"/>, and thread rows (PID "-") follow the process they belong to. The
    /// last column swallows the remaining fields (a command line with spaces).
    /// </summary>
    public static ContainerTop Parse(string output, IReadOnlyCollection<int> pids)
    {
        var lines = output.Split('\n');
        var titles = lines[0].Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
        var pidIndex = Array.IndexOf(titles, "PID");
        if (pidIndex < 0)
        {
            throw new WharfException(ErrorKind.Internal, "Couldn't find PID field in ps output");
        }

        var rows = new List<IReadOnlyList<string>>();
        var previousKept = false;
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length <= pidIndex)
            {
                continue;
            }

            if (fields[pidIndex] == "-")
            {
                if (previousKept)
                {
                    rows.Add(Row(fields, titles.Length));
                }

                continue;
            }

            if (!int.TryParse(fields[pidIndex], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var pid))
            {
                throw new WharfException(ErrorKind.Internal, $"Unexpected pid '{fields[pidIndex]}': strconv.Atoi: parsing \"{fields[pidIndex]}\": invalid syntax");
            }

            previousKept = pids.Contains(pid);
            if (previousKept)
            {
                rows.Add(Row(fields, titles.Length));
            }
        }

        return new ContainerTop(titles, rows);
    }

    private static string[] Row(string[] fields, int columns)
    {
        if (fields.Length < columns)
        {
            return [.. fields, .. Enumerable.Repeat("", columns - fields.Length)];
        }

        var row = fields[..(columns - 1)];
        return [.. row, string.Join(' ', fields[(columns - 1)..])];
    }
}
