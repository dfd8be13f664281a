using Wharf.Core.Containers.Spec;

namespace Wharf.Runtime.Spec;

/// <summary>One /etc/passwd line (name:password:uid:gid:gecos:home:shell); unparsable numbers are 0, as in Go's parser.</summary>
internal sealed record PasswdEntry(string Name, int Uid, int Gid, string Home);
