using Wharf.Core.Containers.Spec;
using Wharf.Runtime.Spec;

namespace Wharf.Runtime.Tests;

internal sealed class FakeUserFiles(string? passwd, string? group) : IRootfsUserFiles
{
    public static FakeUserFiles Standard { get; } = new(
        """
        root:x:0:0:root:/root:/bin/sh
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
        alice:x:1000:1000:Alice:/home/alice:/bin/sh
        """,
        """
        root:x:0:
        daemon:x:1:
        audio:x:29:alice
        video:x:44:alice,bob
        alice:x:1000:
        staff:x:50:
        """);

    public static FakeUserFiles None { get; } = new(null, null);

    public string? ReadPasswd(string rootfsPath) => passwd;

    public string? ReadGroup(string rootfsPath) => group;
}
