using Wharf.Cli.Cli;
using Wharf.Client;

namespace Wharf.Cli.Commands;

/// <summary>Turns repeated <c>--filter key=value</c> flags into the API's JSON filter argument.</summary>
internal static class Filters
{
    public static List<KeyValuePair<string, string>> Parse(IEnumerable<string> values)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var v in values)
        {
            int eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new UsageException($"invalid argument \"{v}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)");
            }
            list.Add(new(v[..eq].Trim().ToLowerInvariant(), v[(eq + 1)..].Trim()));
        }
        return list;
    }

    public static string? Encode(IEnumerable<KeyValuePair<string, string>> filters) => WharfClient.EncodeFilters(filters);
}
