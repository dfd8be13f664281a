using Wharf.Engine.Exec;

namespace Wharf.Engine.Tests;

public sealed class ExecRulesTests
{
    [Theory]
    [InlineData("OCI runtime exec failed: exec failed: unable to start container process: exec: \"x\": executable file not found in $PATH: unknown", 127)]
    [InlineData("OCI runtime exec failed: exec failed: unable to start container process: exec: \"/x\": stat /x: no such file or directory: unknown", 127)]
    [InlineData("OCI runtime exec failed: exec failed: unable to start container process: exec: \"/etc/passwd\": permission denied: unknown", 126)]
    [InlineData("OCI runtime exec failed: exec failed: unable to start container process: exec: \"/tmp\": is a directory: unknown", 126)]
    [InlineData("unable to find user nosuch: no matching entries in passwd file", 126)]
    public void StartFailureExitCodes(string message, int code) => Assert.Equal(code, ExecService.FailedStartExitCode(message));

    [Theory]
    [InlineData("", "")]
    [InlineData("ctrl-p,ctrl-q", "\u0010\u0011")]
    [InlineData("a,ctrl-@,ctrl-_", "a\u0000\u001f")]
    public void DetachKeysParse(string keys, string bytes) => Assert.Equal(bytes, DetachKeys.Parse(keys));

    [Theory]
    [InlineData("ctrl-")]
    [InlineData("ctrl-1")]
    [InlineData("ab")]
    [InlineData("a,,b")]
    public void BadDetachKeys(string keys)
    {
        var e = Assert.Throws<Core.Errors.WharfException>(() => DetachKeys.Parse(keys));
        Assert.Equal($"Invalid escape keys ({keys}) provided", e.Message);
    }
}
