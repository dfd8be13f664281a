using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Wharf.Registry.Auth;

/// <summary>
/// An htpasswd file of bcrypt entries (<c>user:$2y$...</c>, as <c>htpasswd -B</c> writes). Other
/// hash kinds are refused, as docker/distribution refuses them. bcrypt is slow by design and
/// docker sends credentials with every request, so a successful check is remembered for a
/// while under a hash of the password (never the password itself).
/// </summary>
internal sealed class Htpasswd
{
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, string> _entries;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    private Htpasswd(Dictionary<string, string> entries, TimeProvider time)
    {
        _entries = entries;
        _time = time;
    }

    public static async Task<Htpasswd> LoadAsync(string path, TimeProvider time, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"{path}: malformed htpasswd line");
            }
            var hash = line[(colon + 1)..];
            if (!hash.StartsWith("$2", StringComparison.Ordinal))
            {
                throw new FormatException($"{path}: user {line[..colon]} has a non-bcrypt hash (use htpasswd -B)");
            }
            entries[line[..colon]] = hash;
        }
        return new Htpasswd(entries, time);
    }

    public bool Verify(string user, string password)
    {
        if (!_entries.TryGetValue(user, out var hash))
        {
            return false;
        }
        var key = user + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(hash + "\0" + password)));
        var now = _time.GetUtcNow();
        if (_verified.TryGetValue(key, out var until) && until > now)
        {
            return true;
        }
        bool ok;
        try
        {
            ok = BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            ok = false;
        }
        if (ok)
        {
            if (_verified.Count > 10_000)
            {
                _verified.Clear();
            }
            _verified[key] = now + Remember;
        }
        return ok;
    }
}
