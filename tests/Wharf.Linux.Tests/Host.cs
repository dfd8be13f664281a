using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Wharf.Linux.Tests;

/// <summary>Runs iproute2 and friends for the tests, and names their objects uniquely.</summary>
internal static partial class Host
{
    /// <summary>A unique name with the tests' prefix (<c>wnlt</c>), short enough for an interface.</summary>
    public static string UniqueName() => "wnlt" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Runs the program and returns its stdout; a non-zero exit fails the test with its stderr.</summary>
    public static string Run(string file, params string[] args)
    {
        var (code, stdout, stderr) = TryRun(file, args);
        return code == 0 ? stdout : throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {code}: {stderr}");
    }

    public static (int Code, string Stdout, string Stderr) TryRun(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Runs several <c>ip</c> commands in one process, optionally inside a named namespace.</summary>
    public static string IpBatch(string? netns, params string[] lines)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, string.Join('\n', lines) + "\n");
            return netns is null ? Run("ip", "-batch", path) : Run("ip", "-n", netns, "-batch", path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Deletes a named namespace if it is there (cleanup; never fails the test).</summary>
    public static void RemoveNetns(string name)
    {
        if (File.Exists("/run/netns/" + name))
        {
            TryRun("ip", "netns", "delete", name);
        }
    }

    /// <summary>
    /// One line of <c>ip -o</c> output made comparable between two namespaces: interface
    /// indices, peer references and the given names replaced by placeholders.
    /// </summary>
    public static string Normalize(string output, params string[] names)
    {
        var s = output.Trim();
        s = IndexPrefix().Replace(s, "N: ");
        s = PeerIndex().Replace(s, "@ifN");
        s = NetnsRef().Replace(s, "link-netns X");
        foreach (var n in names)
        {
            s = s.Replace(n, "NAME", StringComparison.Ordinal);
        }

        return s;
    }

    [GeneratedRegex(@"(?m)^\d+: ")]
    private static partial Regex IndexPrefix();

    [GeneratedRegex(@"@if\d+")]
    private static partial Regex PeerIndex();

    [GeneratedRegex(@"link-netns(id)? \S+")]
    private static partial Regex NetnsRef();
}
