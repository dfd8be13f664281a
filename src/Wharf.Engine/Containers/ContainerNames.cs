using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;

namespace Wharf.Engine.Containers;

/// <summary>
/// Container IDs and names as Docker makes and checks them: 64 hex characters whose short form
/// is never all digits (it would read as a number), names matching
/// <c>[a-zA-Z0-9][a-zA-Z0-9_.-]+</c> stored with a leading '/', and a generated
/// "adjective_noun" name when none is given.
/// </summary>
public static partial class ContainerNames
{
    private static readonly string[] Adjectives =
    [
        "able", "amber", "anchored", "ardent", "azure", "brave", "briny", "buoyant", "calm", "clever",
        "coastal", "coral", "crisp", "daring", "deep", "eager", "fair", "fleet", "gentle", "glad",
        "hardy", "hearty", "honest", "jolly", "keen", "kind", "lively", "loyal", "lucid", "mellow",
        "merry", "nimble", "noble", "patient", "placid", "proud", "quick", "quiet", "rapid", "salty",
        "serene", "sharp", "silver", "sleek", "snug", "steady", "stout", "sunny", "swift", "tidal",
        "tidy", "trusty", "vivid", "warm", "wise", "witty", "zealous",
    ];

    private static readonly string[] Nouns =
    [
        "anchor", "barge", "beacon", "bollard", "brig", "buoy", "cabin", "capstan", "cargo", "clipper",
        "cove", "crane", "cutter", "davit", "dinghy", "dock", "dory", "ferry", "frigate", "galley",
        "gangway", "harbor", "hawser", "helm", "hull", "jetty", "keel", "ketch", "lantern", "lighthouse",
        "mast", "mooring", "oar", "pier", "pilot", "quay", "raft", "rudder", "sail", "schooner",
        "skiff", "sloop", "spar", "steamer", "tender", "tide", "tug", "wharf", "winch", "yawl",
    ];

    /// <summary>A new container ID.</summary>
    public static string NewId()
    {
        while (true)
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            if (!id[..12].All(char.IsAsciiDigit))
            {
                return id;
            }
        }
    }

    /// <summary>A generated name; <paramref name="taken"/> says whether a candidate is in use.</summary>
    public static string Generate(Func<string, bool> taken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var name = Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)] + "_" + Nouns[RandomNumberGenerator.GetInt32(Nouns.Length)];
            if (attempt > 10)
            {
                // Many containers: add a number, as Docker does after retries.
                name += RandomNumberGenerator.GetInt32(10).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (!taken(name))
            {
                return name;
            }
        }
    }

    /// <summary>Validates a user-given name and returns it without the leading '/'.</summary>
    public static string Normalize(string name)
    {
        var bare = name.StartsWith('/') ? name[1..] : name;
        if (!NamePattern().IsMatch(bare))
        {
            throw WharfException.Invalid($"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }

        return bare;
    }

    /// <summary>Docker's message when a name is taken.</summary>
    public static WharfException NameInUse(string name, string byId)
        => WharfException.Conflict($"Conflict. The container name \"/{name}\" is already in use by container \"{byId}\". You have to remove (or rename) that container to be able to reuse that name.");

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex NamePattern();
}
