using Wharf.Registry.Config;

namespace Wharf.Registry.Auth;

/// <summary>
/// Per-repository rights from the config's access rules. With no rules, every authenticated
/// account may do everything and anonymous requests nothing.
/// </summary>
internal sealed class AccessPolicy
{
    public const string Anonymous = "anonymous";
    private readonly IReadOnlyList<AccessRule> _rules;

    public AccessPolicy(IReadOnlyList<AccessRule>? rules) => _rules = rules ?? [];

    /// <summary>The subset of <paramref name="requested"/> actions <paramref name="account"/> (null: anonymous) has on <paramref name="repository"/>.</summary>
    public List<string> Granted(string? account, string repository, IEnumerable<string> requested)
    {
        var granted = new List<string>();
        foreach (var action in requested)
        {
            if (Allows(account, repository, action) && !granted.Contains(action))
            {
                granted.Add(action);
            }
        }
        return granted;
    }

    public bool Allows(string? account, string repository, string action)
    {
        if (_rules.Count == 0)
        {
            return account is not null;
        }
        foreach (var rule in _rules)
        {
            var who = account is null
                ? rule.Account == Anonymous
                : rule.Account == "*" || rule.Account == account;
            if (who && Matches(rule.Repository, repository) && (rule.Actions.Contains("*") || rule.Actions.Contains(action)))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Matches(string pattern, string repository) =>
        pattern == "*"
        || pattern == repository
        || (pattern.EndsWith('*') && repository.StartsWith(pattern[..^1], StringComparison.Ordinal));
}
