using Wharf.Core.Errors;

namespace Wharf.Engine.Exec;

/// <summary>
/// Docker's detach key syntax (moby/term <c>ToBytes</c>): comma-separated keys, each one ASCII
/// character or <c>ctrl-X</c> with X in a-z, @, [, \, ], ^ or _.
/// </summary>
internal static class DetachKeys
{
    public static string Parse(string keys)
    {
        if (keys.Length == 0)
        {
            return "";
        }
        var bytes = new List<char>();
        foreach (var key in keys.Split(','))
        {
            if (key.Length > 1)
            {
                if (!key.StartsWith("ctrl-", StringComparison.Ordinal) || key.Length != 6)
                {
                    throw Invalid(keys);
                }
                var c = key[5];
                bytes.Add(c switch
                {
                    >= 'a' and <= 'z' => (char)(c - 'a' + 1),
                    '@' => (char)0,
                    '[' => (char)27,
                    '\\' => (char)28,
                    ']' => (char)29,
                    '^' => (char)30,
                    '_' => (char)31,
                    _ => throw Invalid(keys),
                });
            }
            else if (key.Length == 1 && key[0] < 128)
            {
                bytes.Add(key[0]);
            }
            else
            {
                throw Invalid(keys);
            }
        }
        return new string([.. bytes]);
    }

    private static WharfException Invalid(string keys) => WharfException.Invalid($"Invalid escape keys ({keys}) provided");
}
