using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>The numeric identity a user spec resolves to, with supplementary groups from /etc/group.</summary>
internal sealed record ResolvedUser(int Uid, int Gid, IReadOnlyList<int> SupplementaryGids, string Home);
