using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>One /etc/group line (name:password:gid:member,member).</summary>
internal sealed record GroupEntry(string Name, int Gid, IReadOnlyList<string> Members);
